// `npm run bench:query [-- --days N | --smoke]`: the trading desk's queries (docs/desk.md) on N delivery days of
// Core history from go-live (default 1,630: 2022-06-09 to late 2026), each next to its baseline in the same run: the
// same rows read straight from the tables by primary-key range. Each query's target is at most 3 × its baseline
// (the daily aggregates: 100 ms for a month of one border, 5 s for a year of all);
// beside its time it prints the chunks (tables on plain PostgreSQL) it scanned and the stored rows it read
// (EXPLAIN ANALYZE). The one-day queries run on an old day and on a recent one: on TimescaleDB (chosen automatically
// when the database runs it) every chunk ending 60 days before the last day is compressed first, so the old day is
// read from compressed history and the recent one from an uncompressed chunk. Then plain SQL on the views as analysts
// and Grafana write it (a border or a few by `mtu`, by `delivery_day` or both, the revision history of one MTU, a
// Grafana time-bucket query, as-of), each within 3 × its baseline too, the same on every dataset's views
// (jao.dataset_values, jao.dataset_values_history, jao.dataset_values_as_of, narrowed to the dataset), and a revision
// of the old day: its time, what it decompressed, and the daily aggregate right after it. `--dataset ID` (default
// Core maxExchanges) seeds another dataset's shape instead, from its first day: its borders (as its simulator profile
// publishes them) at its latest declared MTU length on every day, and measures the plain SQL on every dataset's
// views only. `--smoke`: six days, three runs per query.
import pg from 'pg';
import { z } from 'zod';
import { parseCommandArgs, parseDatasetArg } from '../cli/args';
import { UsageError } from '../cli/errors';
import { type Engine, readEngine } from '../db/engine';
import { migrate } from '../db/migrate';
import { createPool, watchClient } from '../db/pool';
import { writeDay } from '../db/writeDay';
import { addDays, dayWindow } from '../domain/calendar';
import {
  declarationOf,
  isConstraintDataset,
  type KeyedValueDataset,
  keyedValueDatasets,
} from '../domain/datasets';
import type { Dataset, DeliveryDay, KeyedValuesDay, Point } from '../domain/types';
import { PROFILES } from '../simulator/profiles';
import { databaseUrlFor, pauseTimescaleJobs } from './benchDatabase';
import { createDatabaseSql } from './environment';
import { type Measured, measure, printMeasured, type Query, REPETITIONS } from './measure';
import { parseConstraintQueryArgs, runConstraintQueryBenchmark } from './queryConstraints';
import { printTargets, type Target, takeSmokeFlag } from './report';
import { type SeedShape, seedHistory } from './seedHistory';

const SMOKE_REPETITIONS = 3;
/** Every query of the desk's set within this many times its baseline. */
const MAX_RATIO = 3;
const DEFAULT_DAYS = 1630;
/** Chunks whose range ends this many days before the last day are compressed (the deployed policy's age). */
const COMPRESS_AFTER_DAYS = 60;
const BORDER = 'DE_FR';

/**
 * The desk's set (docs/desk.md), in the order printed; each has the target `<name> ≤ 3 × baseline`, but the daily
 * aggregates, whose baseline aggregates the values (it reads other rows): they keep the limits the desk waits for.
 */
const DESK_QUERIES = [
  'one border, one day (old day)',
  'one border, one day (recent day)',
  'all borders, one day (old day)',
  'all borders, one day (recent day)',
  'all borders, one day, as of (old day)',
  'all borders, one day, as of (recent day)',
  'revision history of one hour (old day)',
  'revision history of one hour (recent day)',
  'one border, one month',
  'one border, one month by mtu range',
  'one border, one year',
  'daily min/avg/max, one border, one month',
  'daily min/avg/max, all borders, a year',
] as const;
type DeskQuery = (typeof DESK_QUERIES)[number];

/**
 * Plain SQL on the consumer views, as analysts, BI tools (Grafana) and `pandas.read_sql` write it: each within
 * 3 × its primary-key baseline too. Named `<views' label>: <shape>`.
 */
const PLAIN_SHAPES = [
  'one border, one month by mtu range',
  'a few borders, one month by mtu range',
  'one border, one month by delivery_day',
  'a few borders, one month by delivery_day',
  'one border, one year by delivery_day',
  'one border, one month by delivery_day and mtu range',
  'daily buckets of one border over a year by mtu (Grafana)',
  'revision history of one hour by mtu (old day)',
  'revision history of one hour with its day (old day)',
  'one border, one month, as of',
  'all borders, one day, as of (old day)',
] as const;
type PlainShape = (typeof PLAIN_SHAPES)[number];

/** The views a plain-SQL set reads. */
interface ViewSet {
  label: string;
  values: string;
  history: string;
  /** The as-of function, called with the instant. */
  asOf: string;
  /** The dataset the every-dataset views are narrowed to (`dataset = …`, as the desk writes it); null: Core's own. */
  dataset: Dataset | null;
}

const CORE_VIEWS: ViewSet = {
  label: 'view',
  values: 'jao.max_exchanges',
  history: 'jao.max_exchanges_history',
  asOf: 'jao.max_exchanges_as_of',
  dataset: null,
};

/** Every dataset's views (migration 008), narrowed to `dataset`. */
const datasetViews = (dataset: Dataset): ViewSet => ({
  label: 'dataset view',
  values: 'jao.dataset_values',
  history: 'jao.dataset_values_history',
  asOf: 'jao.dataset_values_as_of',
  dataset,
});

/**
 * The borders each dataset's queries read: one, and a few (the first of them and two more); for a dataset not named
 * here, the first three keys it publishes (benchBordersOf).
 */
const BENCH_BORDERS: { readonly [dataset: string]: readonly [string, string, string] } = {
  maxExchanges: [BORDER, 'FR_DE', 'DE_NL'],
  nordicMaxExchanges: ['NO1_SE3', 'SE3_NO1', 'NO2_DK1'],
  coreShadowAuctionATC: [BORDER, 'FR_DE', 'DE_NL'],
  coreScheduledExchanges: [BORDER, 'FR_DE', 'DE_NL'],
  coreAtc: ['DE_DK1', 'ES_FR', 'RO_BG'],
  nordicMaxBorderFlow: ['NO1_SE3', 'SE3_NO1', 'NO2_DK1'],
  coreNetPos: ['hub_DE', 'hub_FR', 'hub_NL'],
};

/** Medians the desk waits for interactively, for the daily aggregates. */
const AGGREGATE_LIMITS_MS: Partial<Record<DeskQuery, number>> = {
  'daily min/avg/max, one border, one month': 100,
  'daily min/avg/max, all borders, a year': 5000,
};

const targetName = (name: DeskQuery) => {
  const limit = AGGREGATE_LIMITS_MS[name];
  return limit === undefined
    ? `${name} ≤ ${MAX_RATIO} × baseline`
    : `${name} ≤ ${limit >= 1000 ? `${limit / 1000} s` : `${limit} ms`}`;
};

const plainTargetNames = (views: ViewSet) =>
  PLAIN_SHAPES.map((shape) => `${views.label}: ${shape} ≤ ${MAX_RATIO} × baseline`);

/** The targets of a run on Core maxExchanges (the default; another dataset's run has its dataset views' only). */
export const TARGET_NAMES = [
  ...DESK_QUERIES.map(targetName),
  ...plainTargetNames(CORE_VIEWS),
  ...plainTargetNames(datasetViews('maxExchanges')),
  'daily aggregate right after a revision',
] as const;

const windowOf = (from: DeliveryDay, to: DeliveryDay) => ({
  from: new Date(dayWindow(from).from),
  to: new Date(dayWindow(to).to),
});

const seriesRange = (seriesId: number, window: { from: Date; to: Date }) => ({
  sql: 'SELECT mtu, value FROM jao.observation WHERE series_id = $1 AND mtu >= $2 AND mtu < $3',
  params: [seriesId, window.from, window.to],
});

/**
 * The one-day queries of the desk's set on `day`, named with `label`. Each value was first seen at 10:00 the day
 * before its delivery day and revised at 10:00 on the day: the as-of query asks what was known at the start of the
 * day (first versions only).
 */
function dayQueries(day: DeliveryDay, label: string, seriesId: number): Query[] {
  const window = windowOf(day, day);
  const asOf = window.from;
  const hour = new Date(window.from.getTime() + 11 * 3_600_000);
  const allRows = {
    sql: 'SELECT mtu, series_id, value FROM jao.observation WHERE mtu >= $1 AND mtu < $2',
    params: [window.from, window.to],
  };
  const oneHour = {
    sql: `SELECT value FROM jao.observation WHERE series_id = $1 AND mtu = $2
          UNION ALL
          SELECT value FROM jao.observation_history WHERE series_id = $1 AND mtu = $2`,
    params: [seriesId, hour],
  };
  return [
    {
      name: `one border, one day ${label}`,
      sql: `SELECT mtu, value_mw, revision FROM jao.max_exchanges WHERE border = '${BORDER}' AND delivery_day = $1`,
      params: [day],
      baseline: seriesRange(seriesId, window),
    },
    {
      name: `all borders, one day ${label}`,
      sql: 'SELECT border, mtu, value_mw FROM jao.max_exchanges WHERE delivery_day = $1',
      params: [day],
      baseline: allRows,
    },
    {
      name: `all borders, one day, as of ${label}`,
      sql: 'SELECT border, mtu, value_mw FROM jao.max_exchanges_range_as_of(NULL, $1, $1, $2)',
      params: [day, asOf],
      baseline: {
        sql: `SELECT mtu, series_id, value FROM jao.observation WHERE mtu >= $1 AND mtu < $2
              UNION ALL
              SELECT mtu, series_id, value FROM jao.observation_history WHERE mtu >= $1 AND mtu < $2`,
        params: [window.from, window.to],
      },
    },
    {
      name: `revision history of one hour ${label}`,
      sql: `SELECT revision, value_mw, valid_from, valid_to
              FROM jao.max_exchanges_history_range('{${BORDER}}', NULL, NULL) WHERE mtu = $1`,
      params: [hour],
      baseline: oneHour,
    },
  ];
}

interface Plan {
  oldDay: DeliveryDay;
  recentDay: DeliveryDay;
  month: [DeliveryDay, DeliveryDay];
  year: [DeliveryDay, DeliveryDay];
}

export function planDays(days: DeliveryDay[]): Plan {
  const last = days.length - 1;
  return {
    oldDay: days[Math.floor(days.length / 2)]!,
    recentDay: days[Math.max(0, last - 10)]!,
    // Days 32–60 (a smoke run's middle third onwards); the year from day 0.
    month: [days[Math.min(31, Math.floor(days.length / 3))]!, days[Math.min(59, last)]!],
    year: [days[0]!, days[Math.min(364, last)]!],
  };
}

/** The desk's set, in DESK_QUERIES order. */
export function deskQueries(plan: Plan, seriesId: number): Query<DeskQuery>[] {
  const month = windowOf(...plan.month);
  const year = windowOf(...plan.year);
  const list: Query[] = [
    ...dayQueries(plan.oldDay, '(old day)', seriesId),
    ...dayQueries(plan.recentDay, '(recent day)', seriesId),
    {
      name: 'one border, one month',
      sql: `SELECT mtu, value_mw FROM jao.max_exchanges_range('{${BORDER}}', $1, $2)`,
      params: plan.month,
      baseline: seriesRange(seriesId, month),
    },
    {
      name: 'one border, one month by mtu range',
      sql: `SELECT mtu, value_mw FROM jao.max_exchanges_range('{${BORDER}}', NULL, NULL)
             WHERE mtu >= $1 AND mtu < $2`,
      params: [month.from, month.to],
      baseline: seriesRange(seriesId, month),
    },
    {
      name: 'one border, one year',
      sql: `SELECT mtu, value_mw FROM jao.max_exchanges_range('{${BORDER}}', $1, $2)`,
      params: plan.year,
      baseline: seriesRange(seriesId, year),
    },
    {
      name: 'daily min/avg/max, one border, one month',
      sql: `SELECT delivery_day, min_mw, avg_mw, max_mw FROM jao.max_exchanges_daily
             WHERE border = '${BORDER}' AND delivery_day BETWEEN $1 AND $2`,
      params: plan.month,
      baseline: {
        sql: `SELECT min(value), avg(value), max(value) FROM jao.observation
               WHERE series_id = $1 AND mtu >= $2 AND mtu < $3 GROUP BY date_trunc('day', mtu, 'Europe/Amsterdam')`,
        params: [seriesId, month.from, month.to],
      },
    },
    {
      name: 'daily min/avg/max, all borders, a year',
      sql: `SELECT delivery_day, border, min_mw, avg_mw, max_mw FROM jao.max_exchanges_daily
             WHERE delivery_day BETWEEN $1 AND $2`,
      params: plan.year,
      baseline: {
        sql: `SELECT series_id, min(value), avg(value), max(value) FROM jao.observation
               WHERE mtu >= $1 AND mtu < $2 GROUP BY series_id, date_trunc('day', mtu, 'Europe/Amsterdam')`,
        params: [year.from, year.to],
      },
    },
  ];
  const order = new Map<string, number>(DESK_QUERIES.map((name, i) => [name, i]));
  return list.sort((a, b) => order.get(a.name)! - order.get(b.name)!) as Query<DeskQuery>[];
}

/** Three keys as the views' border column names them (the key without `border_`). */
function benchBordersOf(keys: readonly string[]): readonly [string, string, string] {
  const [a, b, c] = keys.map((key) => key.replace(/^border_/, ''));
  return [a!, b ?? a!, c ?? a!];
}

/** The series ids of a dataset's BENCH_BORDERS: the first, and all of them. */
interface SeriesIds {
  one: number;
  few: number[];
}

const seriesRangeOf = (seriesIds: number[], window: { from: Date; to: Date }) => ({
  sql: 'SELECT mtu, series_id, value FROM jao.observation WHERE series_id = ANY ($1) AND mtu >= $2 AND mtu < $3',
  params: [seriesIds, window.from, window.to],
});

const oneHourOf = (seriesId: number, hour: Date) => ({
  sql: `SELECT value FROM jao.observation WHERE series_id = $1 AND mtu = $2
        UNION ALL
        SELECT value FROM jao.observation_history WHERE series_id = $1 AND mtu = $2`,
  params: [seriesId, hour],
});

/** Where a query of the plain-SQL set narrows every dataset's views to one dataset (nothing on Core's own). */
const SCOPE = '{scope}';

/**
 * The plain-SQL set on `views`, in PLAIN_SHAPES order. Grafana's time series query: `$__timeFilter(mtu)` becomes
 * `mtu BETWEEN … AND …`, `$__timeGroup(mtu, 1d)` time_bucket on TimescaleDB (date_trunc on PostgreSQL). Borders
 * are literals, as analysts write them; the dataset is the last parameter.
 */
export function plainQueries(
  plan: Plan,
  ids: SeriesIds,
  timescale: boolean,
  views: ViewSet,
  borders: readonly [string, string, string],
): Query[] {
  const [one] = borders;
  const month = windowOf(...plan.month);
  const year = windowOf(...plan.year);
  const oldDay = windowOf(plan.oldDay, plan.oldDay);
  const hour = new Date(oldDay.from.getTime() + 11 * 3_600_000);
  const few = `'{${borders.join(',')}}'::text[]`;
  const bucket = timescale ? "time_bucket('1 day', mtu)" : "date_trunc('day', mtu)";
  const { values, history, asOf } = views;
  const shapes: (Omit<Query, 'name'> & { shape: PlainShape })[] = [
    {
      shape: 'one border, one month by mtu range',
      sql: `SELECT mtu, value_mw FROM ${values} WHERE ${SCOPE}border = '${one}' AND mtu >= $1 AND mtu < $2`,
      params: [month.from, month.to],
      baseline: seriesRange(ids.one, month),
    },
    {
      shape: 'a few borders, one month by mtu range',
      sql: `SELECT mtu, border, value_mw FROM ${values}
             WHERE ${SCOPE}border = ANY (${few}) AND mtu >= $1 AND mtu < $2`,
      params: [month.from, month.to],
      baseline: seriesRangeOf(ids.few, month),
    },
    {
      shape: 'one border, one month by delivery_day',
      sql: `SELECT mtu, value_mw FROM ${values} WHERE ${SCOPE}border = '${one}' AND delivery_day BETWEEN $1 AND $2`,
      params: plan.month,
      baseline: seriesRange(ids.one, month),
    },
    {
      shape: 'a few borders, one month by delivery_day',
      sql: `SELECT mtu, border, value_mw FROM ${values}
             WHERE ${SCOPE}border IN ('${borders.join("', '")}') AND delivery_day BETWEEN $1 AND $2`,
      params: plan.month,
      baseline: seriesRangeOf(ids.few, month),
    },
    {
      shape: 'one border, one year by delivery_day',
      sql: `SELECT mtu, value_mw FROM ${values} WHERE ${SCOPE}border = '${one}' AND delivery_day BETWEEN $1 AND $2`,
      params: plan.year,
      baseline: seriesRange(ids.one, year),
    },
    {
      shape: 'one border, one month by delivery_day and mtu range',
      sql: `SELECT mtu, value_mw FROM ${values}
             WHERE ${SCOPE}border = '${one}' AND delivery_day BETWEEN $1 AND $2 AND mtu >= $3 AND mtu < $4`,
      params: [...plan.month, month.from, month.to],
      baseline: seriesRange(ids.one, month),
    },
    {
      shape: 'daily buckets of one border over a year by mtu (Grafana)',
      sql: `SELECT ${bucket} AS "time", avg(value_mw) AS value_mw FROM ${values}
             WHERE ${SCOPE}border = '${one}' AND mtu BETWEEN $1 AND $2 GROUP BY 1 ORDER BY 1`,
      params: [year.from, new Date(year.to.getTime() - 1)],
      baseline: {
        sql: `SELECT ${bucket} AS "time", avg(value) FROM jao.observation
               WHERE series_id = $1 AND mtu BETWEEN $2 AND $3 GROUP BY 1 ORDER BY 1`,
        params: [ids.one, year.from, new Date(year.to.getTime() - 1)],
      },
    },
    {
      shape: 'revision history of one hour by mtu (old day)',
      sql: `SELECT revision, value_mw, valid_from, valid_to FROM ${history}
             WHERE ${SCOPE}border = '${one}' AND mtu = $1`,
      params: [hour],
      baseline: oneHourOf(ids.one, hour),
    },
    {
      shape: 'revision history of one hour with its day (old day)',
      sql: `SELECT revision, value_mw, valid_from, valid_to FROM ${history}
             WHERE ${SCOPE}border = '${one}' AND mtu = $1 AND delivery_day = $2`,
      params: [hour, plan.oldDay],
      baseline: oneHourOf(ids.one, hour),
    },
    {
      shape: 'one border, one month, as of',
      sql: `SELECT mtu, value_mw, revision FROM ${asOf}($3)
             WHERE ${SCOPE}border = '${one}' AND delivery_day BETWEEN $1 AND $2`,
      params: [...plan.month, month.to],
      baseline: {
        sql: `SELECT mtu, value FROM jao.observation WHERE series_id = $1 AND mtu >= $2 AND mtu < $3
              UNION ALL
              SELECT mtu, value FROM jao.observation_history WHERE series_id = $1 AND mtu >= $2 AND mtu < $3`,
        params: [ids.one, month.from, month.to],
      },
    },
    {
      shape: 'all borders, one day, as of (old day)',
      sql: `SELECT border, mtu, value_mw FROM ${asOf}($2) WHERE ${SCOPE}delivery_day = $1`,
      params: [plan.oldDay, oldDay.from],
      baseline: {
        sql: `SELECT mtu, series_id, value FROM jao.observation WHERE mtu >= $1 AND mtu < $2
              UNION ALL
              SELECT mtu, series_id, value FROM jao.observation_history WHERE mtu >= $1 AND mtu < $2`,
        params: [oldDay.from, oldDay.to],
      },
    },
  ];
  return shapes.map(({ shape, sql, params, baseline }) => ({
    name: `${views.label}: ${shape}`,
    sql: sql.replace(SCOPE, views.dataset === null ? '' : `dataset = $${params.length + 1} AND `),
    params: views.dataset === null ? params : [...params, views.dataset],
    baseline,
  }));
}

/** The series ids of `borders` of `dataset`. */
export async function seriesIdsOf(
  pool: pg.Pool,
  dataset: Dataset,
  borders: readonly string[],
): Promise<SeriesIds> {
  const result = await pool.query<{ border: string; series_id: number }>(
    'SELECT border, series_id FROM jao.series WHERE dataset = $1 AND border = ANY ($2)',
    [dataset, borders],
  );
  const idOf = (border: string) => {
    const row = result.rows.find((r) => r.border === border);
    if (!row) throw new Error(`bench:query: no series for ${border} of ${dataset}`);
    return row.series_id;
  };
  return { one: idOf(borders[0]!), few: borders.map(idOf) };
}

async function compressOldChunks(pool: pg.Pool, lastDay: DeliveryDay): Promise<string> {
  const result = await pool.query<{ hypertable: string; compressed: number; total: number }>(
    `SELECT h.hypertable_name AS hypertable,
            (SELECT count(compress_chunk(c, if_not_compressed => true))
               FROM show_chunks(format('%I.%I', h.hypertable_schema, h.hypertable_name)::regclass,
                                older_than => ($1::date - $2::int)::timestamptz) AS c)::int AS compressed,
            (SELECT count(*) FROM show_chunks(format('%I.%I', h.hypertable_schema, h.hypertable_name)::regclass))::int
              AS total
       FROM timescaledb_information.hypertables h
      WHERE h.hypertable_schema = 'jao' AND h.hypertable_name IN ('observation', 'observation_history')
      ORDER BY 1`,
    [lastDay, COMPRESS_AFTER_DAYS],
  );
  return result.rows.map((row) => `${row.hypertable} ${row.compressed} of ${row.total} chunks`).join(', ');
}

async function valueRelations(pool: pg.Pool, timescale: boolean): Promise<number> {
  if (!timescale) return 2;
  const result = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM timescaledb_information.chunks
      WHERE hypertable_schema = 'jao' AND hypertable_name IN ('observation', 'observation_history')`,
  );
  return result.rows[0]!.n;
}

interface ChunkState {
  hypertable: string;
  chunk: string;
  compressed: boolean;
  partial: boolean;
  /** Rows in the chunk's uncompressed heap: after compression, the tuples DML decompressed or added. */
  heapRows: number;
}

async function chunkStates(pool: pg.Pool): Promise<ChunkState[]> {
  const chunks = await pool.query<{
    hypertable: string;
    schema: string;
    chunk: string;
    compressed: boolean;
    partial: boolean;
  }>(
    // chunk_status() and not the catalog table: its columns changed in 2.29 (schema and table name became relid).
    `SELECT c.hypertable_name AS hypertable, c.chunk_schema AS schema, c.chunk_name AS chunk,
            c.is_compressed AS compressed,
            (_timescaledb_functions.chunk_status(format('%I.%I', c.chunk_schema, c.chunk_name)::regclass) & 8) <> 0
              AS partial
       FROM timescaledb_information.chunks c
      WHERE c.hypertable_schema = 'jao'
      ORDER BY c.hypertable_name, c.range_start`,
  );
  const states: ChunkState[] = [];
  for (const row of chunks.rows) {
    const heap = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ONLY ${pg.escapeIdentifier(row.schema)}.${pg.escapeIdentifier(row.chunk)}`,
    );
    states.push({ ...row, heapRows: heap.rows[0]!.n });
  }
  return states;
}

/** The stored day with one value in twenty changed by +1 MW, as validation would hand it to the write path. */
async function revisedDay(pool: pg.Pool, day: DeliveryDay): Promise<KeyedValuesDay> {
  const stored = await pool.query<{
    key: string;
    from_zone: string;
    to_zone: string | null;
    mtu: Date;
    value_mw: number;
  }>(
    `SELECT 'border_' || border AS key, from_zone, to_zone, mtu, value_mw
       FROM jao.max_exchanges WHERE delivery_day = $1 ORDER BY mtu, border`,
    [day],
  );
  const points: Point[] = stored.rows.map((row, i) => ({
    key: row.key,
    fromZone: row.from_zone,
    toZone: row.to_zone,
    mtu: row.mtu.toISOString(),
    value: i % 20 === 7 ? row.value_mw + 1 : row.value_mw,
  }));
  const mtus = new Set(points.map((p) => p.mtu)).size;
  return {
    lane: 'keyedValues',
    resolutionMinutes: 60,
    expectedMtus: mtus,
    rows: mtus,
    receivedMtus: mtus,
    missingMtus: [],
    points,
    rejections: [],
    keys: [...new Set(points.map((p) => p.key))].sort(),
    refusedKeys: 0,
    nullValues: 0,
    duplicateRows: 0,
    conflictingRows: 0,
    absentValues: 0,
    unknownFields: [],
  };
}

/** A revision of `day`, timed; on TimescaleDB with what it decompressed. Then the daily aggregate of the day. */
async function reviseDay(
  pool: pg.Pool,
  engine: Engine,
  day: DeliveryDay,
): Promise<{ aggregateRight: boolean }> {
  const timescale = engine.kind === 'timescaledb';
  const validated = await revisedDay(pool, day);
  const before = timescale ? await chunkStates(pool) : [];
  const started = process.hrtime.bigint();
  const result = await writeDay(pool, {
    dataset: 'maxExchanges',
    day,
    status: 'complete',
    validated,
    expectedMtus: validated.expectedMtus,
    rawResponseId: null,
    workflowId: 'bench:query revision',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(
    `revision of ${day}${timescale ? ' (inside compressed history)' : ''}: ${ms.toFixed(0)} ms for ` +
      `${result.changedPoints} changed values`,
  );
  const daily = await pool.query<{ stale: number }>(
    `SELECT count(*)::int AS stale FROM (
       (SELECT border, min(value_mw) AS min_mw, max(value_mw) AS max_mw, count(*) AS mtus
          FROM jao.max_exchanges WHERE delivery_day = $1 GROUP BY border
        EXCEPT
        SELECT border, min_mw, max_mw, mtus FROM jao.max_exchanges_daily WHERE delivery_day = $1)
       UNION ALL
       (SELECT border, min_mw, max_mw, mtus FROM jao.max_exchanges_daily WHERE delivery_day = $1
        EXCEPT
        SELECT border, min(value_mw), max(value_mw), count(*)
          FROM jao.max_exchanges WHERE delivery_day = $1 GROUP BY border)) AS differing`,
    [day],
  );
  const aggregateRight = daily.rows[0]!.stale === 0;
  console.log(
    `  daily aggregate of ${day} right after it: ${aggregateRight ? 'right' : `${daily.rows[0]!.stale} rows STALE`}`,
  );
  if (!timescale) return { aggregateRight };
  const after = await chunkStates(pool);
  for (const hypertable of ['observation', 'observation_history']) {
    const touched: string[] = [];
    let stillCompressed = 0;
    let compressedBefore = 0;
    for (const state of after.filter((s) => s.hypertable === hypertable)) {
      const old = before.find((s) => s.chunk === state.chunk);
      if (old?.compressed) compressedBefore += 1;
      if (state.compressed && !state.partial) stillCompressed += 1;
      const added = state.heapRows - (old?.heapRows ?? 0);
      if (old?.compressed && added > 0) {
        touched.push(`${state.chunk} ${added.toLocaleString('en')} tuples decompressed or added`);
      }
    }
    console.log(
      `  jao.${hypertable}: ${touched.length ? touched.join('; ') : 'no compressed chunk touched'}; ` +
        `${stillCompressed} of ${compressedBefore} compressed chunks untouched`,
    );
  }
  return { aggregateRight };
}

const daysArg = z.coerce.number().int().min(90).max(20_000);

/** `[--days N] [--dataset ID] | --smoke [--dataset ID]`; a mistake is a UsageError of one line (exit 2). */
export function parseQueryArgs(argv: string[]): {
  dayCount: number;
  repetitions: number;
  dataset: KeyedValueDataset;
} {
  const { smoke, rest } = takeSmokeFlag(argv);
  const { values } = parseCommandArgs(
    'bench:query',
    rest,
    { days: { type: 'string' }, dataset: { type: 'string' } },
    0,
  );
  const named = parseDatasetArg('bench:query', values.dataset);
  if (isConstraintDataset(named))
    throw new UsageError(
      `bench:query: --dataset ${named} is a dataset of the flow-based domain; this bench reads keyed values (${keyedValueDatasets().join(', ')})`,
    );
  const dataset = named;
  if (smoke) {
    if (values.days !== undefined)
      throw new UsageError('bench:query: --smoke runs six days: leave --days out');
    return { dayCount: 6, repetitions: SMOKE_REPETITIONS, dataset };
  }
  const days = daysArg.safeParse(values.days ?? DEFAULT_DAYS);
  if (!days.success) throw new UsageError('bench:query: --days must be a whole number from 90 to 20000');
  return { dayCount: days.data, repetitions: REPETITIONS, dataset };
}

/** What `--dataset` seeds: its borders as its simulator profile publishes them, at its latest declared MTU length. */
export function seedShapeOf(dataset: KeyedValueDataset): SeedShape {
  const declaration = declarationOf(dataset);
  const resolutions = declaration.resolutions;
  // A key-set change day that never comes: the dataset's key set of its first day.
  const keys = PROFILES[dataset].keySetForDay(declaration.firstDay, '9999-12-31').keys;
  return { dataset, keys, minutes: resolutions[resolutions.length - 1]!.minutes };
}

/** Materializes the daily aggregate as its job does in production (TimescaleDB; a plain view otherwise). */
async function materializeDailyAggregate(pool: pg.Pool): Promise<number> {
  const started = process.hrtime.bigint();
  await pool.query('CALL jao.refresh_max_exchanges_daily()');
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export async function runQueryBenchmark(args: string[]): Promise<void> {
  const domain = parseConstraintQueryArgs(args);
  if (domain) return runConstraintQueryBenchmark(domain.dataset, domain.dayCount, domain.repetitions);
  const { dayCount, repetitions, dataset } = parseQueryArgs(args);
  const core = dataset === 'maxExchanges';
  const shape = seedShapeOf(dataset);
  const firstDay = declarationOf(dataset).firstDay;
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `jao_bench_query_${process.pid}`;
  const admin = watchClient(new pg.Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') }));
  await admin.connect();
  await admin.query(createDatabaseSql(database));
  // Migrated on connections of their own: the database's settings (jit = off, migration 018) reach the
  // connections opened after it, the desk's and these.
  const migrating = createPool(databaseUrlFor(serverUrl, database), {
    max: 1,
    applicationName: 'bench:query',
  });
  await migrate(migrating).finally(() => migrating.end());
  const pool = createPool(databaseUrlFor(serverUrl, database), { max: 3, applicationName: 'bench:query' });
  try {
    const engine = await readEngine(pool);
    const timescale = engine.kind === 'timescaledb';
    if (timescale) await pauseTimescaleJobs(pool);
    const days = Array.from({ length: dayCount }, (_, i) => addDays(firstDay, i));
    const lastDay = days[days.length - 1]!;
    let started = process.hrtime.bigint();
    const seeded = await seedHistory(pool, firstDay, dayCount, shape);
    const seedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    started = process.hrtime.bigint();
    const compression = timescale ? await compressOldChunks(pool, lastDay) : null;
    await pool.query('ANALYZE jao.observation; ANALYZE jao.observation_history; ANALYZE jao.series');
    await pool.query('ANALYZE jao.delivery_day');
    const compressSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const aggregateSeconds = timescale && core ? await materializeDailyAggregate(pool) : 0;
    const borders = BENCH_BORDERS[dataset] ?? benchBordersOf(shape.keys);
    const ids = await seriesIdsOf(pool, dataset, borders);
    const plan = planDays(days);
    console.log(engine.line);
    console.log(
      `bench:query: ${dataset}, ${shape.keys.length} borders at ${shape.minutes}-minute MTUs, ` +
        `${dayCount} days (${firstDay}..${lastDay}), ${seeded.values.toLocaleString('en')} current ` +
        `values, ${seeded.superseded.toLocaleString('en')} superseded (seeded in ${seedSeconds.toFixed(1)} s` +
        `${timescale ? `, compressed in ${compressSeconds.toFixed(1)} s` : ''}` +
        `${timescale && core ? `, daily aggregate materialized in ${aggregateSeconds.toFixed(1)} s` : ''}); ` +
        `median of up to ${repetitions} runs`,
    );
    if (compression) {
      console.log(
        `compressed (ending ${COMPRESS_AFTER_DAYS} days before ${lastDay}): ${compression}; old day ` +
          `${plan.oldDay} (compressed), recent day ${plan.recentDay} (not compressed)`,
      );
    } else {
      console.log(`old day ${plan.oldDay}, recent day ${plan.recentDay}`);
    }
    const totalRelations = await valueRelations(pool, timescale);
    const measured: Measured[] = [];
    const measureAll = async (queries: Query[]) => {
      for (const query of queries) {
        const m = await measure(pool, query, repetitions);
        measured.push(m);
        printMeasured(m, totalRelations, timescale);
      }
    };
    // The desk's set and Core's own views are Core maxExchanges'.
    if (core) {
      await measureAll(deskQueries(plan, ids.one));
      console.log('plain SQL on the views (analysts, Grafana, pandas):');
      await measureAll(plainQueries(plan, ids, timescale, CORE_VIEWS, borders));
    }
    console.log(`plain SQL on every dataset's views, dataset = '${dataset}':`);
    await measureAll(plainQueries(plan, ids, timescale, datasetViews(dataset), borders));
    const targets: Target[] = measured.map((m) => {
      const limit = AGGREGATE_LIMITS_MS[m.name as DeskQuery];
      return {
        name: limit === undefined ? `${m.name} ≤ ${MAX_RATIO} × baseline` : targetName(m.name as DeskQuery),
        met: limit === undefined ? m.ms <= MAX_RATIO * m.baseMs : m.ms <= limit,
        measured: `${(m.ms / m.baseMs).toFixed(2)} × baseline, ${m.ms.toFixed(2)} ms`,
      };
    });
    if (core) {
      const revision = await reviseDay(pool, engine, plan.oldDay);
      targets.push({
        name: 'daily aggregate right after a revision',
        met: revision.aggregateRight,
        measured: revision.aggregateRight ? 'right' : 'stale',
      });
    }
    printTargets(targets);
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}
