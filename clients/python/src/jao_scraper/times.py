"""Delivery days and instants as the API takes them."""

import datetime as dt
from typing import Iterator, Tuple, Union

import pandas as pd

#: Delivery days and MTU times are read in market time.
MARKET_TIME_ZONE = "Europe/Amsterdam"

DayLike = Union[str, dt.date]
InstantLike = Union[str, dt.datetime, pd.Timestamp]


def to_day(day: DayLike, name: str = "day") -> dt.date:
    """A delivery day from a date (a datetime's date) or 'YYYY-MM-DD'."""
    if isinstance(day, dt.datetime):
        return day.date()
    if isinstance(day, dt.date):
        return day
    if isinstance(day, str):
        try:
            return dt.date.fromisoformat(day.strip())
        except ValueError:
            pass
    raise ValueError(f"{name}: expected a delivery day, a date or 'YYYY-MM-DD', got {day!r}")


def to_timestamp(instant: InstantLike, name: str = "instant") -> pd.Timestamp:
    """An instant from a datetime, pandas Timestamp or ISO-8601 string; without an offset, market time."""
    try:
        stamp = pd.Timestamp(instant)
    except (ValueError, TypeError):
        raise ValueError(f"{name}: expected a datetime, pandas Timestamp or ISO-8601 string, got {instant!r}") from None
    if stamp is pd.NaT:
        raise ValueError(f"{name}: expected an instant, got {instant!r}")
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(MARKET_TIME_ZONE, ambiguous=True, nonexistent="raise")
    return stamp


def to_instant(instant: InstantLike, name: str = "instant") -> str:
    """The ISO-8601 UTC text of an instant the API takes."""
    return to_timestamp(instant, name).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def day_of(stamp: pd.Timestamp) -> dt.date:
    """The delivery day (market time) an instant falls in."""
    return stamp.tz_convert(MARKET_TIME_ZONE).date()


def day_ranges(first: dt.date, last: dt.date, max_days: int) -> Iterator[Tuple[str, str]]:
    """first..last (inclusive) as consecutive ranges of at most `max_days` days, as 'YYYY-MM-DD' pairs."""
    if first > last:
        raise ValueError(f"start: must not be after end ({last.isoformat()})")
    start = first
    while start <= last:
        end = min(last, start + dt.timedelta(days=max_days - 1))
        yield start.isoformat(), end.isoformat()
        start = end + dt.timedelta(days=1)
