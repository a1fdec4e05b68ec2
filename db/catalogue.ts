// The catalogue and the data dictionary, read from the live database: jao.catalog (migration 017), the datasets'
// sources and days, and every object jao_reader may read with its columns and COMMENTs.
import type pg from 'pg';
import { type DatedRow, iso, withTransaction } from './pool';

/** A row of jao.catalog. */
export interface CatalogSeries {
  dataset: string;
  key: string;
  border: string;
  from_zone: string;
  to_zone: string | null;
  unit: string;
  resolution_minutes: number | null;
  first_day: string | null;
  last_day: string | null;
  days_in_span: number | null;
  complete_days: number;
  complete_share: number | null;
  last_changed_at: string | null;
  source_endpoint: string | null;
  publication_schedule: string | null;
}

export interface CatalogDataset {
  dataset: string;
  title: string | null;
  endpoint: string | null;
  publicationWindow: string | null;
  freshnessDeadline: string | null;
  publicationSchedule: string | null;
  recordedAt: string | null;
  recordedBy: string | null;
  series: number;
  resolutionMinutes: number | null;
  daysStored: number;
  firstDay: string | null;
  lastDay: string | null;
  completeDays: number;
  /** Stored days without a recorded key set (before migration 010, never re-written): not in the series figures. */
  daysWithoutKeySet: number;
  lastChangedAt: string | null;
}

export interface DictionaryColumn {
  name: string;
  type: string;
  comment: string | null;
}

export interface DictionaryObject {
  /** `jao.max_exchanges`, or `jao.value_lineage(border text, mtu timestamp with time zone)` for a function. */
  name: string;
  kind: 'table' | 'view' | 'materialized view' | 'function';
  comment: string | null;
  /** A relation's columns, a function's result columns. */
  columns: DictionaryColumn[];
}

export interface DataDictionary {
  database: string;
  generatedAt: string;
  /** The last migration applied. */
  migration: string | null;
  datasets: CatalogDataset[];
  series: CatalogSeries[];
  objects: DictionaryObject[];
}

type Queryable = pg.Pool | pg.PoolClient;

export async function readCatalogSeries(client: Queryable): Promise<CatalogSeries[]> {
  const result = await client.query<
    Omit<CatalogSeries, 'complete_share' | 'last_changed_at'> & {
      complete_share: string | null;
      last_changed_at: Date | null;
    }
  >({
    name: 'jao.catalogue.series',
    text: `SELECT dataset, key, border, from_zone, to_zone, unit, resolution_minutes,
                  first_day::text AS first_day, last_day::text AS last_day, days_in_span, complete_days,
                  complete_share, last_changed_at, source_endpoint, publication_schedule
             FROM jao.catalog
            ORDER BY dataset, border`,
  });
  return result.rows.map((row) => ({
    ...row,
    complete_share: row.complete_share === null ? null : Number(row.complete_share),
    last_changed_at: iso(row.last_changed_at),
  }));
}

async function readDatasets(pool: Queryable): Promise<CatalogDataset[]> {
  const result = await pool.query<DatedRow<CatalogDataset, 'recordedAt' | 'lastChangedAt'>>(
    `WITH datasets AS (
       SELECT dataset FROM jao.dataset_source UNION SELECT DISTINCT dataset FROM jao.delivery_day
     ),
     days AS (
       SELECT dataset,
              count(*) FILTER (WHERE revision_count > 0)::int AS days_stored,
              (min(day) FILTER (WHERE revision_count > 0))::text AS first_day,
              (max(day) FILTER (WHERE revision_count > 0))::text AS last_day,
              count(*) FILTER (WHERE status = 'complete')::int AS complete_days,
              count(*) FILTER (WHERE revision_count > 0 AND key_set_id IS NULL)::int AS days_without_key_set,
              max(last_changed_at) AS last_changed_at
         FROM jao.delivery_day GROUP BY dataset
     )
     SELECT x.dataset, s.title, s.endpoint, s.publication_window AS "publicationWindow",
            s.freshness_deadline AS "freshnessDeadline", s.publication_schedule AS "publicationSchedule",
            s.recorded_at AS "recordedAt", s.recorded_by AS "recordedBy",
            (SELECT count(*) FROM jao.catalog c WHERE c.dataset = x.dataset)::int AS series,
            (SELECT max(c.resolution_minutes) FROM jao.catalog c WHERE c.dataset = x.dataset)
              AS "resolutionMinutes",
            COALESCE(d.days_stored, 0) AS "daysStored", d.first_day AS "firstDay", d.last_day AS "lastDay",
            COALESCE(d.complete_days, 0) AS "completeDays",
            COALESCE(d.days_without_key_set, 0) AS "daysWithoutKeySet", d.last_changed_at AS "lastChangedAt"
       FROM datasets x
       LEFT JOIN jao.dataset_source s ON s.dataset = x.dataset
       LEFT JOIN days d ON d.dataset = x.dataset
      ORDER BY x.dataset`,
  );
  return result.rows.map((row) => ({
    ...row,
    recordedAt: iso(row.recordedAt),
    lastChangedAt: iso(row.lastChangedAt),
  }));
}

/** Every relation and function of schema jao that jao_reader may read, with its columns and COMMENTs. */
async function readObjects(pool: Queryable): Promise<DictionaryObject[]> {
  const relations = await pool.query<DictionaryObject>(
    `SELECT 'jao.' || c.relname AS name,
            CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'table' END AS kind,
            obj_description(c.oid, 'pg_class') AS comment,
            (SELECT COALESCE(json_agg(json_build_object('name', a.attname,
                                                        'type', format_type(a.atttypid, a.atttypmod),
                                                        'comment', col_description(a.attrelid, a.attnum))
                                      ORDER BY a.attnum), '[]')
               FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'jao' AND c.relkind IN ('r', 'p', 'v', 'm')
        AND has_table_privilege('jao_reader', c.oid, 'SELECT')
      ORDER BY c.relname`,
  );
  const functions = await pool.query<{
    name: string;
    comment: string | null;
    out_names: string[] | null;
    out_types: string[] | null;
  }>(
    `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS name,
            obj_description(p.oid, 'pg_proc') AS comment,
            ARRAY(SELECT a.name FROM unnest(p.proargnames, p.proargmodes) WITH ORDINALITY AS a(name, mode, i)
                   WHERE a.mode IN ('t', 'o') ORDER BY a.i) AS out_names,
            ARRAY(SELECT format_type(a.type, NULL)
                    FROM unnest(p.proallargtypes, p.proargmodes) WITH ORDINALITY AS a(type, mode, i)
                   WHERE a.mode IN ('t', 'o') ORDER BY a.i) AS out_types
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'jao' AND p.prokind = 'f'
        AND has_function_privilege('jao_reader', p.oid, 'EXECUTE')
        AND NOT has_function_privilege('public', p.oid, 'EXECUTE')
      ORDER BY p.proname`,
  );
  const objects = relations.rows;
  // A function's result columns mean what the same columns of the relations mean.
  const commentOf = new Map<string, string>();
  for (const column of objects.flatMap((object) => object.columns)) {
    if (column.comment && !commentOf.has(column.name)) commentOf.set(column.name, column.comment);
  }
  for (const row of functions.rows) {
    const names = row.out_names ?? [];
    const types = row.out_types ?? [];
    objects.push({
      name: `jao.${row.name}`,
      kind: 'function',
      comment: row.comment,
      columns: names.map((name, i) => ({ name, type: types[i] ?? '', comment: commentOf.get(name) ?? null })),
    });
  }
  return objects;
}

/** Everything the data dictionary says, read in one snapshot of the database (a read-only transaction). */
export function readDataDictionary(pool: pg.Pool): Promise<DataDictionary> {
  return withTransaction(pool, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const meta = await client.query<{ database: string; now: Date; migration: string | null }>(
      `SELECT current_database() AS database, now(),
              (SELECT max(name) FROM jao.schema_migrations WHERE outcome = 'applied') AS migration`,
    );
    const row = meta.rows[0]!;
    return {
      database: row.database,
      generatedAt: row.now.toISOString(),
      migration: row.migration,
      datasets: await readDatasets(client),
      series: await readCatalogSeries(client),
      objects: await readObjects(client),
    };
  });
}
