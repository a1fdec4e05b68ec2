"""The API over the standard library's urllib: a GET with the key, its body and headers, errors as JaoApiError."""

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from .errors import JaoApiError

Params = Sequence[Tuple[str, str]]


class Http:
    """GETs of one API with one key."""

    def __init__(self, base_url: str, api_key: Optional[str], timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def url(self, path: str, params: Params = ()) -> str:
        query = urllib.parse.urlencode(list(params))
        return f"{self.base_url}{path}" + (f"?{query}" if query else "")

    def _request(self, path: str, params: Params, headers: Dict[str, str]) -> urllib.request.Request:
        sent = dict(headers)
        if self.api_key:
            sent["Authorization"] = f"Bearer {self.api_key}"
        return urllib.request.Request(self.url(path, params), headers=sent)

    def open(self, path: str, params: Params = (), headers: Optional[Dict[str, str]] = None, timeout: Optional[float] = None):
        """The open answer of a GET (a 2xx); anything else raised as JaoApiError with the API's message."""
        request = self._request(path, params, headers or {})
        try:
            return urllib.request.urlopen(request, timeout=self.timeout if timeout is None else timeout)
        except urllib.error.HTTPError as error:
            raise api_error(error) from None
        except urllib.error.URLError as error:
            raise JaoApiError(f"cannot reach the API at {self.base_url}: {error.reason}") from None
        except OSError as error:
            raise JaoApiError(f"cannot reach the API at {self.base_url}: {error}") from None

    def get(self, path: str, params: Params = ()) -> Tuple[bytes, Dict[str, str]]:
        """The body and headers (lower-case names) of a GET."""
        with self.open(path, params) as answer:
            body = answer.read()
            return body, {name.lower(): value for name, value in answer.headers.items()}

    def get_json(self, path: str, params: Params = ()):
        body, _ = self.get(path, params)
        return json.loads(body)

    def lines(self, path: str, params: Params = (), headers: Optional[Dict[str, str]] = None, timeout: Optional[float] = None) -> Iterator[str]:
        """The lines of a streamed answer (an event stream), as they arrive."""
        with self.open(path, params, headers, timeout) as answer:
            for raw in answer:
                yield raw.decode("utf-8").rstrip("\r\n")


def api_error(error: urllib.error.HTTPError) -> JaoApiError:
    """The API's error body `{statusCode, error, message, parameter?}` as an exception; another body as text."""
    text = error.read().decode("utf-8", "replace")
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return JaoApiError(body["message"], error.code, body.get("parameter"))
    return JaoApiError(f"HTTP {error.code}: {text.strip()[:300] or error.reason}", error.code)


def days_missing(headers: Dict[str, str]) -> List[str]:
    """The Jao-Days-Missing header as a list of days (none when absent)."""
    value = headers.get("jao-days-missing", "")
    return [day for day in value.split(",") if day]
