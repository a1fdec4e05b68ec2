"""What the client raises and warns."""

from typing import Optional, Sequence


class JaoApiError(Exception):
    """The API refused a request, or could not be reached: carries the API's one-line message.

    ``status`` is the HTTP status (``None`` when the API could not be reached), ``parameter`` the query parameter a
    400 names.
    """

    def __init__(self, message: str, status: Optional[int] = None, parameter: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.parameter = parameter


class DaysMissingWarning(UserWarning):
    """Days of the asked range that the store does not hold (the API's Jao-Days-Missing header)."""


class DaysMissingError(JaoApiError):
    """Raised instead of DaysMissingWarning with ``strict=True``; ``days`` lists the days not stored."""

    def __init__(self, dataset: str, days: Sequence[str]) -> None:
        super().__init__(days_missing_message(dataset, days))
        self.dataset = dataset
        self.days = list(days)


def days_missing_message(dataset: str, days: Sequence[str]) -> str:
    """One line naming the days of `dataset` not stored (a long list is cut, with its count)."""
    shown = ", ".join(days[:10]) + (f" and {len(days) - 10} more" if len(days) > 10 else "")
    noun = "day is" if len(days) == 1 else "days are"
    return f"{dataset}: {len(days)} {noun} not stored: {shown}"
