"""bench:client's Python side: the client's values() against the CSV endpoint read by pandas directly.

Reads JAO_API_URL, JAO_API_KEY, and the range and rounds from argv (from, to, rounds); prints one JSON line:
the best seconds of each way and what each read. Run by bench/client.ts with Debian's python3 and the client's
sources on PYTHONPATH.
"""

import io
import json
import os
import sys
import time
import urllib.request
import warnings

import pandas as pd

from jao_scraper import Client, DaysMissingWarning


def direct(base: str, key: str, first: str, last: str) -> pd.DataFrame:
    """GET the long CSV of every border and read it with pandas, as an analyst would without the client."""
    url = f"{base}/v1/datasets/maxExchanges/values?from={first}&to={last}&format=csv"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=600) as answer:
        body = answer.read()
    return pd.read_csv(io.BytesIO(body))


def main() -> None:
    first, last, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    base, key = os.environ["JAO_API_URL"], os.environ["JAO_API_KEY"]
    client = Client(max_range_days=3660)
    best = {"client": float("inf"), "direct": float("inf")}
    shapes = {}
    for _ in range(rounds):
        started = time.perf_counter()
        frame = direct(base, key, first, last)
        best["direct"] = min(best["direct"], time.perf_counter() - started)
        shapes["direct"] = {"rows": len(frame), "values": int(frame["value_mw"].notna().sum())}
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DaysMissingWarning)
            wide = client.values("maxExchanges", first, last)
        best["client"] = min(best["client"], time.perf_counter() - started)
        shapes["client"] = {"rows": len(wide), "columns": len(wide.columns), "values": int(wide.notna().sum().sum())}
    print(json.dumps({"seconds": best, "shapes": shapes}))


if __name__ == "__main__":
    main()
