"""The four everyday reads of docs/desk.md ("The Python client"), each as the analyst writes it, then checked."""

import warnings

import pandas as pd
import pytest

from jao_scraper import Client, DaysMissingWarning


def test_a_one_border_over_the_stored_month(stack):
    with pytest.warns(DaysMissingWarning, match=stack.gap):
        # (a) -- the analyst's code, as in docs/desk.md:
        jao = Client()
        de_fr = jao.values("maxExchanges", stack.month_from, stack.month_to, keys="DE_FR")

    assert list(de_fr.columns) == ["DE_FR"]
    assert str(de_fr.index.tz) == "Europe/Amsterdam"
    assert de_fr.index.is_monotonic_increasing and de_fr.index.is_unique
    stored_days = pd.date_range(stack.month_from, stack.month_to).size - 1
    assert len(de_fr) == 24 * stored_days  # June: no clock change
    assert de_fr.index[0] == pd.Timestamp(f"{stack.month_from} 00:00", tz="Europe/Amsterdam")
    assert not (de_fr.index.date == pd.Timestamp(stack.gap).date()).any()
    assert de_fr["DE_FR"].notna().all()
    # The same values as the long rows of the API.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DaysMissingWarning)
        long = jao.values("maxExchanges", stack.month_from, stack.month_to, keys=["DE_FR"], wide=False)
    assert list(long["value_mw"]) == list(de_fr["DE_FR"])
    assert list(long["mtu"]) == list(de_fr.index)


def test_b_the_same_as_of_an_earlier_instant(stack):
    jao = Client()
    day = stack.revised
    # (b):
    before = jao.values("maxExchanges", day, day, as_of=stack.between_writes)
    now = jao.values("maxExchanges", day, day)

    assert before.shape == now.shape == (24, before.shape[1])
    assert list(before.columns) == list(now.columns)
    changed = (before != now) & before.notna()
    assert changed.to_numpy().sum() > 0, "the revision changed no value"
    long = jao.values("maxExchanges", day, day, as_of=stack.between_writes, wide=False)
    assert set(long["revision"]) == {1}
    assert (long["first_seen_at"] <= pd.Timestamp(stack.between_writes)).all()
    revised = jao.values("maxExchanges", day, day, wide=False)
    assert revised["revision"].max() == 2


def test_c_a_days_net_positions(stack):
    jao = Client()
    # (c):
    net_positions = jao.values("coreNetPos", stack.domain_day, stack.domain_day)

    assert len(net_positions) == 96  # quarter-hours
    assert all(column.startswith("hub_") for column in net_positions.columns)
    assert len(net_positions.columns) == 23
    assert str(net_positions.index.tz) == "Europe/Amsterdam"
    assert net_positions.index[1] - net_positions.index[0] == pd.Timedelta(minutes=15)
    assert net_positions.notna().all().all()


def test_d_one_hours_domain_and_the_check_ptdf_np_within_ram(stack):
    jao = Client()
    day = stack.domain_day
    # (d): one hour's domain with its PTDFs, then PTDF . NP <= RAM for each of its quarter-hours (within 1 MW).
    domain = jao.constraints("coreFinalComputation", hour=f"{day} 14:00")
    net_positions = jao.values("coreNetPos", day, day).loc[f"{day} 14:00":f"{day} 14:45"]
    ptdfs = domain.filter(like="ptdf_").rename(columns=lambda c: "hub_" + c[len("ptdf_"):]).fillna(0)
    flows = ptdfs @ net_positions.reindex(columns=ptdfs.columns, fill_value=0).T
    holds = flows.le(domain["ram"] + 1.0, axis=0).all().all()

    assert holds
    assert len(net_positions) == 4
    assert (domain["mtu"] == pd.Timestamp(f"{day} 14:00", tz="Europe/Amsterdam")).all()
    assert len(domain) > 0 and domain["constraint_id"].is_unique
    assert len([c for c in domain.columns if c.startswith("ptdf_")]) >= 20
    # The check can fail: a RAM lowered under its flow is caught.
    tight = domain["ram"].copy()
    worst = (flows.max(axis=1) - tight).idxmax()
    tight[worst] = flows.loc[worst].max() - 5.0
    assert not flows.le(tight + 1.0, axis=0).all().all()
