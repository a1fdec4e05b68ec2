// Everything a desk reads of some delivery days, as one hash per row set: taken before an upgrade and again after, it
// must not change. The row sets keep the columns they had before (a later release may add columns, never change or
// remove one: docs/development.md "Migrations").
import type pg from 'pg';
import type { DeliveryDay } from '../../domain/types';

type Relation = { from: string; order: string };

/** Each row set: what it reads, restricted to the days `$1`, ordered so that equal sets hash the same. */
const ROW_SETS: Record<string, (at: string[]) => Relation> = {
  values: () => ({
    from: `(SELECT s.key, o.* FROM jao.observation o JOIN jao.series s USING (series_id)
             WHERE (o.mtu AT TIME ZONE 'Europe/Amsterdam')::date = ANY ($1::date[])) AS t`,
    order: 'key, mtu',
  }),
  history: () => ({
    from: `(SELECT s.key, h.* FROM jao.observation_history h JOIN jao.series s USING (series_id)
             WHERE (h.mtu AT TIME ZONE 'Europe/Amsterdam')::date = ANY ($1::date[])) AS t`,
    order: 'key, mtu, revision',
  }),
  view: () => ({ from: 'jao.max_exchanges t WHERE t.delivery_day = ANY ($1::date[])', order: 'mtu, border' }),
  viewHistory: () => ({
    from: 'jao.max_exchanges_history t WHERE t.delivery_day = ANY ($1::date[])',
    order: 'mtu, border, revision',
  }),
  lineage: () => ({
    from: 'jao.max_exchanges_lineage t WHERE t.delivery_day = ANY ($1::date[])',
    order: 'mtu, border, revision',
  }),
  daily: () => ({
    from: 'jao.max_exchanges_daily t WHERE t.delivery_day = ANY ($1::date[])',
    order: 'delivery_day, border',
  }),
  days: () => ({
    from: `jao.delivery_day t WHERE t.dataset = 'maxExchanges' AND t.day = ANY ($1::date[])`,
    order: 'day',
  }),
  quality: () => ({
    from: `jao.day_quality t WHERE t.dataset = 'maxExchanges' AND t.day = ANY ($1::date[])`,
    order: 'day',
  }),
  answers: () => ({
    from: `(SELECT sha256, bytes, http_status, request_from, request_to, fetched_at, day FROM jao.raw_response
             WHERE dataset = 'maxExchanges' AND day = ANY ($1::date[])) AS t`,
    order: 'day, fetched_at',
  }),
  apiKeys: () => ({ from: 'jao.api_key t WHERE $1::date[] IS NOT NULL', order: 'name' }),
  ...Object.fromEntries(
    [0, 1].map((i) => [
      `asOf${i}`,
      (at: string[]) => ({
        from: `jao.max_exchanges_as_of('${at[i]}'::timestamptz) t WHERE t.delivery_day = ANY ($1::date[])`,
        order: 'mtu, border',
      }),
    ]),
  ),
};

export interface Snapshot {
  /** The columns of each row set when it was taken. */
  columns: Record<string, string[]>;
  /** Per row set: its row count and the md5 of its rows in order. */
  hashes: Record<string, string>;
  /** Per row set and column: the md5 of the column's values in the rows' order (names what differs). */
  columnHashes: Record<string, Record<string, string>>;
}

/**
 * The row sets of `days`, with the as-of answers at the two instants `asOf` (taken before an upgrade, so that both
 * sides answer for the same past). `columns`: those of an earlier snapshot, to compare like with like.
 */
export async function snapshot(
  pool: pg.Pool,
  days: DeliveryDay[],
  asOf: [string, string],
  columns?: Record<string, string[]>,
): Promise<Snapshot> {
  const result: Snapshot = { columns: {}, hashes: {}, columnHashes: {} };
  for (const [name, relationOf] of Object.entries(ROW_SETS)) {
    const relation = relationOf(asOf);
    let names = columns?.[name];
    if (!names) {
      const probe = await pool.query(`SELECT * FROM ${relation.from} LIMIT 0`, [days]);
      names = probe.fields.map((field) => field.name);
    }
    result.columns[name] = names;
    const list = names.map((column) => `t."${column.replace(/"/g, '""')}"`).join(', ');
    // Rows equal in the order's columns are ordered by their text, so equal sets hash the same whatever the plan.
    const order = [...relation.order.split(', ').map((c) => `t.${c}`), `ROW(${list})::text`].join(', ');
    const columnList = names.map((column, i) => `t."${column.replace(/"/g, '""')}" AS c${i}`).join(', ');
    const perColumn = names
      .map((_, i) => `md5(string_agg(c${i}::text, E'\\n' ORDER BY n)) AS "${i}"`)
      .join(', ');
    const row = await pool.query<Record<string, string | null> & { rows: string; hash: string | null }>(
      `SELECT count(*) AS rows, md5(string_agg(r::text, E'\\n' ORDER BY n)) AS hash, ${perColumn}
         FROM (SELECT row_number() OVER (ORDER BY ${order}) AS n, ROW(${list}) AS r, ${columnList}
                 FROM ${relation.from}) AS numbered`,
      [days],
    );
    const sums = row.rows[0]!;
    result.hashes[name] = `${sums.rows} rows, ${sums.hash ?? 'empty'}`;
    result.columnHashes[name] = Object.fromEntries(
      names.map((column, i) => [column, sums[String(i)] ?? 'empty']),
    );
  }
  return result;
}

/** The row sets that differ, each with both descriptions and the columns that differ; empty when they agree. */
export function snapshotDifferences(before: Snapshot, after: Snapshot): string[] {
  return Object.keys(before.hashes).flatMap((name) => {
    if (before.hashes[name] === after.hashes[name]) return [];
    const columns = Object.entries(before.columnHashes[name] ?? {})
      .filter(([column, hash]) => after.columnHashes[name]?.[column] !== hash)
      .map(([column]) => column);
    return [
      `${name}: before ${before.hashes[name]}, after ${after.hashes[name] ?? 'missing'} (columns that differ: ${columns.join(', ') || 'none: the rows’ order'})`,
    ];
  });
}
