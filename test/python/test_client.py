"""The client's contract beyond the everyday reads: ranges split, days not stored, errors, the other routes."""

import datetime as dt
import itertools
import threading
import warnings

import pandas as pd
import pytest

from jao_scraper import Client, DaysMissingError, DaysMissingWarning, JaoApiError


@pytest.fixture()
def jao() -> Client:
    return Client()


def test_days_not_stored_raise_with_strict(jao, stack):
    with pytest.raises(DaysMissingError) as raised:
        jao.values("maxExchanges", stack.month_from, stack.month_to, keys="DE_FR", strict=True)
    assert raised.value.days == [stack.gap]
    assert stack.gap in str(raised.value)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jao.values("maxExchanges", stack.month_from, stack.month_from, keys="DE_FR")  # no day missing: no warning


def test_a_range_longer_than_the_apis_limit_is_split(stack):
    small = Client(max_range_days=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DaysMissingWarning)
        split = small.values("maxExchanges", stack.month_from, stack.month_to, keys=["DE_FR", "FR_DE"])
        whole = Client().values("maxExchanges", stack.month_from, stack.month_to, keys=["DE_FR", "FR_DE"])
    pd.testing.assert_frame_equal(split, whole)
    # Dates and datetimes as days too.
    first = dt.date.fromisoformat(stack.month_from)
    same = small.values("maxExchanges", first, dt.datetime.combine(first, dt.time(12)), keys="DE_FR")
    pd.testing.assert_frame_equal(same, whole.loc[stack.month_from][["DE_FR"]])


def test_an_error_carries_the_apis_message(jao, stack):
    with pytest.raises(JaoApiError) as raised:
        jao.values("maxExchanges", stack.month_from, stack.month_to, keys="XX_YY")
    assert raised.value.status == 400
    assert raised.value.parameter == "border"
    assert str(raised.value) == "border: unknown border XX_YY"
    with pytest.raises(JaoApiError) as refused:
        Client(api_key="jao_not-a-key").datasets()
    assert refused.value.status == 401
    with pytest.raises(ValueError, match="start: expected a delivery day"):
        jao.values("maxExchanges", "June", stack.month_to)
    with pytest.raises(JaoApiError, match="cannot reach the API"):
        Client(base_url="http://127.0.0.1:9").datasets()


def test_hour_takes_datetimes_timestamps_and_iso_strings(jao, stack):
    day = stack.domain_day
    by_text = jao.constraints("coreFinalComputation", hour=f"{day}T14:00:00+02:00")
    by_stamp = jao.constraints("coreFinalComputation", hour=pd.Timestamp(f"{day} 12:00", tz="UTC"))
    by_naive = jao.constraints("coreFinalComputation", day, day, hour=dt.datetime.fromisoformat(f"{day}T14:00"))
    pd.testing.assert_frame_equal(by_text, by_stamp)
    pd.testing.assert_frame_equal(by_text, by_naive)
    whole_day = jao.constraints("coreFinalComputation", day, day)
    assert whole_day["mtu"].nunique() == 24
    hour = whole_day[whole_day["mtu"] == pd.Timestamp(f"{day} 14:00", tz="Europe/Amsterdam")]
    pd.testing.assert_frame_equal(hour.reset_index(drop=True)[by_text.columns], by_text, check_dtype=False)


def test_datasets_days_and_revisions(jao, stack):
    datasets = jao.datasets()
    assert {"maxExchanges", "coreNetPos", "coreFinalComputation"} <= set(datasets.index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DaysMissingWarning)
        days = jao.days("maxExchanges", stack.month_from, stack.month_to)
    assert stack.gap not in days.index
    assert set(days["status"]) == {"complete"}
    assert str(days["last_checked_at"].dt.tz) == "Europe/Amsterdam"
    long = jao.values("maxExchanges", stack.revised, stack.revised, wide=False)
    revised = long[long["revision"] == 2].iloc[0]
    history = jao.revisions("maxExchanges", revised["border"], revised["mtu"])
    assert list(history["revision"]) == [1, 2]
    assert history["valid_to"].iloc[0] == history["valid_from"].iloc[1]
    assert history["value_mw"].iloc[1] == revised["value_mw"]


def test_events_resume_after_the_last_event_seen(jao):
    # The stored days raised events; the feed from event 0 replays them in order, and resumes after any of them.
    received = []

    def read():
        for event in itertools.islice(jao.events(last_event_id=0, timeout=10), 3):
            received.append(event)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(60)
    assert len(received) == 3, received
    assert all(event["type"].startswith("day.") for event in received)
    ids = [event["id"] for event in received]
    assert ids == sorted(ids)
    resumed = next(iter(jao.events(last_event_id=ids[0], timeout=10)))
    assert resumed["id"] == ids[1]
    assert resumed == received[1]
