"""Python client of the jao-scraper API: JAO Publication Tool datasets as analysis-ready pandas frames.

>>> from jao_scraper import Client
>>> jao = Client()  # JAO_API_URL and JAO_API_KEY from the environment
>>> de_fr = jao.values("maxExchanges", "2026-11-01", "2026-11-30", keys=["DE_FR"])
"""

from .client import Client, DEFAULT_BASE_URL, MAX_RANGE_DAYS
from .errors import DaysMissingError, DaysMissingWarning, JaoApiError

__all__ = [
    "Client",
    "DEFAULT_BASE_URL",
    "MAX_RANGE_DAYS",
    "DaysMissingError",
    "DaysMissingWarning",
    "JaoApiError",
]
__version__ = "1.2.0"
