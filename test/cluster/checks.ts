// What `npm run test:cluster` asserts about the database and the simulator's request log.
import type pg from 'pg';
import { addDays, dayLengthHours, dayStartMs, daysInRange } from '../../domain/calendar';
import type { DeliveryDay } from '../../domain/types';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** The most entries of `times` (ms) inside any window [t, t + windowMs) that starts at one of them. */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start += 1) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + windowMs) end += 1;
    best = Math.max(best, end - start);
  }
  return best;
}

interface DayRow {
  day: string;
  status: string;
  expected_mtus: number | null;
  received_mtus: number | null;
  revision_count: number;
  mtus: number;
  points: number;
  cells: number;
  max_revision: number;
}

/** Every day of the range complete, with exactly its hours × keys points, each once, each at revision 1. */
export async function checkDays(
  pool: pg.Pool,
  from: DeliveryDay,
  to: DeliveryDay,
  keys: number,
): Promise<Check[]> {
  const { rows } = await pool.query<DayRow>(
    `SELECT d.day::text AS day, d.status, d.expected_mtus, d.received_mtus, d.revision_count,
            (SELECT count(DISTINCT m.mtu)::int FROM jao.max_exchanges m WHERE m.delivery_day = d.day) AS mtus,
            (SELECT count(*)::int FROM jao.max_exchanges m WHERE m.delivery_day = d.day) AS points,
            (SELECT count(DISTINCT (m.border, m.mtu))::int FROM jao.max_exchanges m WHERE m.delivery_day = d.day) AS cells,
            (SELECT coalesce(max(m.revision), 0)::int FROM jao.max_exchanges m WHERE m.delivery_day = d.day) AS max_revision
       FROM jao.delivery_day d
      WHERE d.day BETWEEN $1 AND $2
      ORDER BY d.day`,
    [from, to],
  );
  const days = daysInRange(from, to);
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const missing = days.filter((day) => !byDay.has(day));
  const wrongCounts: string[] = [];
  const duplicates: string[] = [];
  const churn: string[] = [];
  let expectedPoints = 0;
  let storedPoints = 0;
  for (const day of days) {
    const row = byDay.get(day);
    if (!row) continue;
    const hours = dayLengthHours(day);
    expectedPoints += hours * keys;
    storedPoints += row.points;
    const exact =
      row.status === 'complete' &&
      row.expected_mtus === hours &&
      row.received_mtus === hours &&
      row.mtus === hours &&
      row.points === hours * keys;
    if (!exact) {
      wrongCounts.push(
        `${day} ${row.status} ${row.received_mtus}/${row.expected_mtus} MTUs, ${row.points} points (want ${hours * keys})`,
      );
    }
    if (row.cells !== row.points) duplicates.push(`${day} (${row.points} rows, ${row.cells} distinct)`);
    if (row.max_revision !== 1 || row.revision_count !== 1) {
      churn.push(`${day} revision ${row.max_revision}, revision_count ${row.revision_count}`);
    }
  }
  const history = await pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM jao.observation_history WHERE mtu >= $1 AND mtu < $2',
    [new Date(dayStartMs(from)), new Date(dayStartMs(addDays(to, 1)))],
  );
  const historyRows = history.rows[0]?.n ?? -1;
  const shortDays = days
    .filter((day) => dayLengthHours(day) !== 24)
    .map((d) => `${d}: ${dayLengthHours(d)} h`);
  const list = (items: string[]) =>
    `${items.slice(0, 5).join('; ')}${items.length > 5 ? ` … (${items.length})` : ''}`;
  return [
    {
      name: 'every day complete with exact MTU and point counts',
      ok: missing.length === 0 && wrongCounts.length === 0 && storedPoints === expectedPoints,
      detail:
        missing.length || wrongCounts.length
          ? `missing: ${list(missing)}; wrong: ${list(wrongCounts)}`
          : `${days.length} days × ${keys} keys, ${shortDays.join(', ') || 'all 24 h'}: ${storedPoints} points`,
    },
    {
      name: 'no duplicate rows',
      ok: duplicates.length === 0 && missing.length === 0,
      detail: duplicates.length ? list(duplicates) : 'rows = distinct (border, mtu) on every day',
    },
    {
      name: 'no revision churn',
      ok: churn.length === 0 && historyRows === 0 && missing.length === 0,
      detail: churn.length
        ? list(churn)
        : `revision 1 on every value, revision_count 1 on every day, ${historyRows} history rows`,
    },
  ];
}
