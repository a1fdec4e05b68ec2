"""Client: the jao-scraper API's answers as pandas frames, tz-aware in market time (Europe/Amsterdam)."""

import io
import json
import os
import urllib.parse
import warnings
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

import pandas as pd

from .errors import DaysMissingError, DaysMissingWarning, days_missing_message
from .http import Http, Params, days_missing
from .times import MARKET_TIME_ZONE, DayLike, InstantLike, day_of, day_ranges, to_day, to_instant, to_timestamp

#: Where the API listens when neither `base_url` nor JAO_API_URL says otherwise (`npm start`, `npx jao api`).
DEFAULT_BASE_URL = "http://127.0.0.1:3000"
#: The most delivery days the API answers at once (its API_MAX_RANGE_DAYS by default): longer ranges are split.
MAX_RANGE_DAYS = 366

Keys = Union[str, Iterable[str], None]


class Client:
    """The jao-scraper API (docs/reference/api.md) as pandas frames.

    ``base_url`` defaults to the environment's ``JAO_API_URL``, else ``http://127.0.0.1:3000``; ``api_key`` to
    ``JAO_API_KEY`` (sent as ``Authorization: Bearer <key>``). ``max_range_days`` is the API's range limit
    (API_MAX_RANGE_DAYS): a longer range is asked in pieces. Every error of the API is raised as
    :class:`JaoApiError` carrying its message.
    """

    def __init__(
        self,
        base_url: Optional[str] = None,
        api_key: Optional[str] = None,
        *,
        timeout: float = 300.0,
        max_range_days: int = MAX_RANGE_DAYS,
    ) -> None:
        base = base_url or os.environ.get("JAO_API_URL") or DEFAULT_BASE_URL
        self._http = Http(base, api_key or os.environ.get("JAO_API_KEY"), timeout)
        self.max_range_days = max_range_days

    @property
    def base_url(self) -> str:
        return self._http.base_url

    def datasets(self) -> pd.DataFrame:
        """The datasets the key reads (GET /v1/datasets), one row each, indexed by id."""
        rows = self._http.get_json("/v1/datasets")
        frame = pd.DataFrame(rows)
        return frame.set_index("id") if "id" in frame.columns else frame

    def values(
        self,
        dataset: str,
        start: DayLike,
        end: DayLike,
        keys: Keys = None,
        as_of: Optional[InstantLike] = None,
        wide: bool = True,
        strict: bool = False,
    ) -> pd.DataFrame:
        """The values of the delivery days start..end (inclusive) of a dataset of keyed values.

        ``wide=True``: indexed by the MTU's start (tz-aware, Europe/Amsterdam), one float column per key as the API
        names it (``DE_FR``, ``hub_DE``), NaN where a key has no value. ``wide=False``: the long rows (``mtu``,
        ``delivery_day``, ``border``, ``from_zone``, ``to_zone``, ``value_mw``, ``revision``, ``first_seen_at``,
        ``updated_at``), times tz-aware. ``keys`` keeps only those keys; ``as_of`` gives the values as known at an
        instant (datetime, Timestamp or ISO-8601; without an offset, market time). Days not stored warn
        (:class:`DaysMissingWarning`), or raise :class:`DaysMissingError` with ``strict=True``.
        """
        params: List[Tuple[str, str]] = [("format", "csv"), ("shape", "wide" if wide else "long")]
        params += [("border", key) for key in _key_list(keys)]
        if as_of is not None:
            params.append(("as_of", to_instant(as_of, "as_of")))
        frames, missing = self._ranges(f"/v1/datasets/{_path(dataset)}/values", start, end, params)
        self._report_missing(dataset, missing, strict)
        return _wide_frame(frames) if wide else _long_frame(frames)

    def constraints(
        self,
        dataset: str,
        start: Optional[DayLike] = None,
        end: Optional[DayLike] = None,
        hour: Optional[InstantLike] = None,
        as_of: Optional[InstantLike] = None,
        strict: bool = False,
    ) -> pd.DataFrame:
        """The flow-based domain of the delivery days start..end: one row per presolved constraint and MTU.

        Columns as the API's CSV (docs/reference/api.md), ``mtu`` tz-aware in Europe/Amsterdam, and one float column
        ``ptdf_<hub>`` per hub. ``hour`` (the start of an MTU hour: datetime, Timestamp or ISO-8601, market time
        without an offset) reads that hour only; start and end then default to its delivery day.
        """
        params: List[Tuple[str, str]] = [("format", "csv")]
        if hour is not None:
            begin = to_timestamp(hour, "hour")
            params += [("from_mtu", to_instant(begin)), ("to_mtu", to_instant(begin + pd.Timedelta(hours=1)))]
            start = day_of(begin) if start is None else start
            end = day_of(begin) if end is None else end
        if start is None or end is None:
            raise ValueError("constraints: give start and end, or hour")
        if as_of is not None:
            params.append(("as_of", to_instant(as_of, "as_of")))
        frames, missing = self._ranges(f"/v1/datasets/{_path(dataset)}/constraints", start, end, params)
        self._report_missing(dataset, missing, strict)
        return _constraint_frame(frames)

    def days(self, dataset: str, start: DayLike, end: DayLike) -> pd.DataFrame:
        """The quality record of each stored delivery day start..end (GET /v1/days), indexed by day."""
        rows: List[dict] = []
        for first, last in day_ranges(to_day(start, "start"), to_day(end, "end"), self.max_range_days):
            rows += self._http.get_json("/v1/days", [("dataset", dataset), ("from", first), ("to", last)])
        frame = pd.DataFrame(rows)
        if frame.empty:
            return frame
        for column in ("last_checked_at", "last_changed_at", "last_republished_at"):
            if column in frame.columns:
                frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(MARKET_TIME_ZONE)
        return frame.set_index("day")

    def revisions(self, dataset: str, key: str, mtu: InstantLike) -> pd.DataFrame:
        """Every revision of one key's value at one MTU (its start: datetime, Timestamp or ISO-8601), oldest first."""
        rows = self._http.get_json(
            f"/v1/datasets/{_path(dataset)}/revisions", [("border", key), ("mtu", to_instant(mtu, "mtu"))]
        )
        frame = pd.DataFrame(rows)
        for column in ("mtu", "first_seen_at", "valid_from", "valid_to"):
            if column in frame.columns:
                frame[column] = _times(frame[column])
        return frame

    def events(self, last_event_id: Optional[Union[int, str]] = None, timeout: Optional[float] = None) -> Iterator[dict]:
        """The live feed (GET /v1/events): each event's data (``id``, ``type``, ``dataset``, ``day``, …) as it comes.

        From ``last_event_id`` on (the events after it) when given, else from now. A dropped connection is resumed
        after the last event received (Last-Event-ID), so no event is missed or repeated; an event naming the key's
        end (``key.revoked``, ``key.unscoped``) is yielded and ends the feed. ``timeout`` bounds the wait for the
        next line (the API sends a heartbeat); the default waits as long as the client's timeout.
        """
        last = None if last_event_id is None else str(last_event_id)
        while True:
            headers = {"Accept": "text/event-stream"}
            if last is not None:
                headers["Last-Event-ID"] = last
            try:
                for event in _sse_events(self._http.lines("/v1/events", (), headers, timeout)):
                    if event.get("id") is not None:
                        last = str(event["id"])
                    yield event
                    if str(event.get("type", "")).startswith("key."):
                        return
            except (ConnectionError, TimeoutError):
                continue

    def _ranges(
        self, path: str, start: DayLike, end: DayLike, params: Params
    ) -> Tuple[List[bytes], List[str]]:
        """The CSV bodies of start..end, asked in ranges the API allows, and the days they say are not stored."""
        bodies: List[bytes] = []
        missing: List[str] = []
        for first, last in day_ranges(to_day(start, "start"), to_day(end, "end"), self.max_range_days):
            body, headers = self._http.get(path, [("from", first), ("to", last), *params])
            bodies.append(body)
            missing += days_missing(headers)
        return bodies, missing

    @staticmethod
    def _report_missing(dataset: str, missing: Sequence[str], strict: bool) -> None:
        if not missing:
            return
        if strict:
            raise DaysMissingError(dataset, missing)
        warnings.warn(days_missing_message(dataset, missing), DaysMissingWarning, stacklevel=3)


def _path(dataset: str) -> str:
    return urllib.parse.quote(dataset, safe="")


def _key_list(keys: Keys) -> List[str]:
    if keys is None:
        return []
    if isinstance(keys, str):
        return [keys]
    return list(keys)


def _times(column: pd.Series) -> pd.Series:
    """ISO-8601 UTC texts as tz-aware instants in market time."""
    return pd.to_datetime(column, utc=True).dt.tz_convert(MARKET_TIME_ZONE)


def _wide_frame(bodies: List[bytes]) -> pd.DataFrame:
    """shape=wide CSV answers: indexed by the MTU's start, one float column per key."""
    parts = []
    for body in bodies:
        header = body.split(b"\n", 1)[0].decode("utf-8").split(",")
        keys = header[2:]
        dtypes: Dict[str, str] = {key: "float64" for key in keys}
        dtypes.update({"mtu": "str", "delivery_day": "str"})
        frame = pd.read_csv(io.BytesIO(body), dtype=dtypes, usecols=["mtu", *keys])
        parts.append(frame)
    frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    index = pd.DatetimeIndex(_times(frame["mtu"]), name="mtu")
    frame = frame.drop(columns="mtu")
    frame.index = index
    frame.columns.name = "key"
    return frame


_LONG_DTYPES = {
    "mtu": "str",
    "delivery_day": "str",
    "border": "str",
    "from_zone": "str",
    "to_zone": "str",
    "value_mw": "float64",
    "revision": "int64",
    "first_seen_at": "str",
    "updated_at": "str",
}


def _long_frame(bodies: List[bytes]) -> pd.DataFrame:
    """shape=long CSV answers: one row per key and MTU, times tz-aware."""
    parts = [
        pd.read_csv(io.BytesIO(body), dtype=_LONG_DTYPES, keep_default_na=False, na_values={"value_mw": [""]})
        for body in bodies
    ]
    frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    frame["to_zone"] = frame["to_zone"].mask(frame["to_zone"] == "")  # a hub series has none
    for column in ("mtu", "first_seen_at", "updated_at"):
        frame[column] = _times(frame[column])
    return frame


_CONSTRAINT_TEXT = (
    "dataset",
    "delivery_day",
    "tso",
    "cne_eic",
    "cne_name",
    "direction",
    "contingency_eics",
    "cne_status",
    "hub_from",
    "hub_to",
    "substation_from",
    "substation_to",
    "element_type",
    "fmax_type",
    "cont_tso",
    "cont_name",
    "justification",
    "contingencies",
)


def _constraint_frame(bodies: List[bytes]) -> pd.DataFrame:
    """Constraint CSV answers: texts as texts, ptdf_<hub> columns as floats (a hub absent from a range: NaN)."""
    parts = []
    for body in bodies:
        header = body.split(b"\n", 1)[0].decode("utf-8").split(",")
        dtypes: Dict[str, str] = {name: "str" for name in _CONSTRAINT_TEXT if name in header}
        dtypes.update({name: "float64" for name in header if name.startswith("ptdf_")})
        parts.append(pd.read_csv(io.BytesIO(body), dtype=dtypes))
    frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    for column in ("mtu", "first_seen_at", "updated_at"):
        frame[column] = _times(frame[column])
    if "contingency_eics" in frame.columns:
        frame["contingency_eics"] = frame["contingency_eics"].map(_json_or_none)
    ptdfs = sorted(name for name in frame.columns if name.startswith("ptdf_"))
    others = [name for name in frame.columns if not name.startswith("ptdf_")]
    return frame[others + ptdfs]


def _json_or_none(text):
    return json.loads(text) if isinstance(text, str) and text else None


def _sse_events(lines: Iterable[str]) -> Iterator[dict]:
    """Server-Sent Events as dicts: each event's JSON data, its `id` and `type` filled from the frame's fields."""
    fields: Dict[str, str] = {}
    data: List[str] = []
    for line in lines:
        if line == "":
            if data:
                try:
                    event = json.loads("\n".join(data))
                except ValueError:
                    event = {"data": "\n".join(data)}
                if not isinstance(event, dict):
                    event = {"data": event}
                if "id" in fields:
                    event.setdefault("id", int(fields["id"]) if fields["id"].isdigit() else fields["id"])
                if "event" in fields:
                    event.setdefault("type", fields["event"])
                yield event
            fields, data = {}, []
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            data.append(value)
        else:
            fields[name] = value
