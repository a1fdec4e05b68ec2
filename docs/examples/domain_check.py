#!/usr/bin/env python3
"""Check that a delivery day's Core net positions satisfy its final flow-based domain.

For every presolved constraint c of an hour and every net-position MTU of that hour (a quarter-hour from
2025-10-01 against its hour's domain: Core's domain stays hourly), PTDF_c . NP <= RAM_c, within TOLERANCE_MW:

    python3 docs/examples/domain_check.py postgres://jao_reader@127.0.0.1:5432/jao 2025-01-01

Reads jao.constraint_ptdfs and jao.constraints (dataset coreFinalComputation) and jao.dataset_values (coreNetPos)
with psql --csv into pandas; needs Debian's python3-pandas (or any pandas >= 1.5) and psql. The PTDF of hub X
(`ptdf_X`) multiplies the net position of hub X (`hub_X`); a hub with a null PTDF (CH) or without a net position
contributes 0. Exit status: 0 when every constraint holds, 1 listing the violations, 2 when the day cannot be
checked (no domain, no net positions, or an hour of net positions without its domain).
"""

import argparse
import io
import os
import subprocess
import sys

import pandas as pd

# PTDFs are published to 5 decimals (up to 5e-6 x ~23 hubs x a few GW: ~0.5 MW) and net positions to 0.1 MW
# (0.05 MW x the sum of a constraint's |PTDF|, a few tenths): 1 MW covers both, a real violation is far more.
TOLERANCE_MW = 1.0
DOMAIN_DATASET = "coreFinalComputation"
NET_POSITIONS_DATASET = "coreNetPos"
SHOWN = 20

# psql quotes :'name' as a literal: the values never become SQL text.
DOMAIN_SQL = """
SELECT constraint_id, mtu, hub, ptdf
  FROM jao.constraint_ptdfs
 WHERE dataset = :'domain' AND delivery_day = :'day'::date AND ptdf IS NOT NULL;
"""
CONSTRAINTS_SQL = """
SELECT constraint_id, mtu, tso, cne_name, direction, cont_name, ram
  FROM jao.constraints
 WHERE dataset = :'domain' AND delivery_day = :'day'::date AND presolved;
"""
NET_POSITIONS_SQL = """
SELECT mtu, from_zone AS hub, value_mw AS np
  FROM jao.dataset_values
 WHERE dataset = :'netpos' AND delivery_day = :'day'::date AND to_zone IS NULL;
"""


def query(url: str, sql: str, variables: dict) -> pd.DataFrame:
    """One query through psql --csv, its timestamps read as UTC."""
    command = ["psql", url, "--csv", "--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1", "-f", "-"]
    for name, value in variables.items():
        command += ["-v", f"{name}={value}"]
    run = subprocess.run(
        command, input=sql, capture_output=True, text=True, env={**os.environ, "PGTZ": "UTC"}
    )
    if run.returncode != 0:
        sys.exit(f"domain_check: psql failed: {run.stderr.strip()}")
    # psql writes NULL as an empty field; JAO's literal "NA" (a text that does not apply) stays a text.
    frame = pd.read_csv(io.StringIO(run.stdout), keep_default_na=False, na_values=[""])
    if "mtu" in frame:
        frame["mtu"] = pd.to_datetime(frame["mtu"], utc=True)
    return frame


def utc(instant: pd.Timestamp) -> str:
    return instant.strftime("%Y-%m-%dT%H:%MZ")


def mw(value: float) -> str:
    return f"{round(value, 1) + 0.0:.1f} MW"


def describe(row: pd.Series) -> str:
    contingency = row.cont_name if isinstance(row.cont_name, str) else "N state"
    return (
        f"{utc(row.np_mtu)}  {row.tso} {row.cne_name.strip()} {row.direction} / {contingency} "
        f"(constraint {row.constraint_id}): RAM {mw(row.ram)}, PTDF.NP {mw(row.flow)}, slack {mw(row.slack)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url", help="e.g. postgres://jao_reader@127.0.0.1:5432/jao")
    parser.add_argument("day", help="delivery day, YYYY-MM-DD")
    args = parser.parse_args()
    variables = {"domain": DOMAIN_DATASET, "netpos": NET_POSITIONS_DATASET, "day": args.day}

    ptdfs = query(args.database_url, DOMAIN_SQL, variables)
    constraints = query(args.database_url, CONSTRAINTS_SQL, variables)
    net_positions = query(args.database_url, NET_POSITIONS_SQL, variables)
    if constraints.empty or net_positions.empty:
        print(
            f"{args.day}: nothing to check: {len(constraints)} presolved constraint rows of {DOMAIN_DATASET}, "
            f"{len(net_positions)} values of {NET_POSITIONS_DATASET}"
        )
        return 2

    # Each net-position MTU joined to the domain of the hour it falls in.
    net_positions["hour"] = net_positions["mtu"].dt.floor(pd.Timedelta(hours=1))
    missing = sorted(set(net_positions["hour"]) - set(constraints["mtu"]))
    if missing:
        print(f"{args.day}: no presolved domain for {len(missing)} hours: {', '.join(map(utc, missing))}")
        return 2
    terms = ptdfs.rename(columns={"mtu": "hour"}).merge(net_positions, on=["hour", "hub"])
    terms["term"] = terms["ptdf"] * terms["np"]
    flows = terms.groupby(["constraint_id", "hour", "mtu"], as_index=False)["term"].sum()
    pairs = (
        constraints.rename(columns={"mtu": "hour"})
        .merge(net_positions[["hour", "mtu"]].drop_duplicates(), on="hour")
        .merge(flows, on=["constraint_id", "hour", "mtu"], how="left")
        .rename(columns={"mtu": "np_mtu", "term": "flow"})
    )
    pairs["flow"] = pairs["flow"].fillna(0.0)
    pairs["slack"] = pairs["ram"] - pairs["flow"]
    pairs = pairs.sort_values(["slack", "np_mtu", "constraint_id"], kind="mergesort")

    mtus = net_positions["mtu"].nunique()
    hubs = net_positions["hub"].nunique()
    print(
        f"{args.day}: {constraints['constraint_id'].nunique()} presolved constraints over "
        f"{constraints['mtu'].nunique()} hours ({DOMAIN_DATASET}); net positions of {hubs} hubs over "
        f"{mtus} MTUs ({NET_POSITIONS_DATASET})"
    )
    print(f"checked {len(pairs)} (constraint, MTU) pairs: PTDF.NP <= RAM + {TOLERANCE_MW} MW")
    print(f"worst slack: {describe(pairs.iloc[0])}")
    # An equality constraint (RAM 0 both ways: ALBE = -ALDE, the hubs summing to zero) holds at 0 in every MTU.
    margins = pairs[pairs["ram"] > 0]
    if not margins.empty and margins.index[0] != pairs.index[0]:
        print(f"tightest with RAM > 0: {describe(margins.iloc[0])}")
    violations = pairs[pairs["slack"] < -TOLERANCE_MW]
    if violations.empty:
        print(f"OK: every constraint holds within {TOLERANCE_MW} MW")
        return 0
    print(f"VIOLATED: {len(violations)} (constraint, MTU) pairs exceed RAM by more than {TOLERANCE_MW} MW")
    for _, row in violations.head(SHOWN).iterrows():
        print(f"  {describe(row)}")
    if len(violations) > SHOWN:
        print(f"  ... and {len(violations) - SHOWN} more")
    return 1


if __name__ == "__main__":
    sys.exit(main())
