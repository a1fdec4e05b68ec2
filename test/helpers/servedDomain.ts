// What the simulator serves of a day's presolved Core final domain, read in one request: what a stored day is
// compared with, row for row.
import { expect } from 'vitest';
import { dayWindow } from '../../domain/calendar';
import { NUMERIC_FIELDS } from '../../domain/flowBased/fields';
import type { DeliveryDay } from '../../domain/types';

export type ServedRow = Record<string, unknown> & { dateTimeUtc: string };

/** The day's presolved rows as the simulator at `origin` serves them now, in one page. */
export async function servedPresolvedRows(origin: string, day: DeliveryDay): Promise<ServedRow[]> {
  const window = dayWindow(day);
  const query = new URLSearchParams({
    FromUtc: window.from,
    ToUtc: window.to,
    Skip: '0',
    Take: '100000',
    Filter: JSON.stringify({ Presolved: true }),
  });
  const response = await fetch(`${origin}/core/api/data/finalComputation?${query}`);
  return ((await response.json()) as { data: ServedRow[] }).data;
}

/** A camelCase field of JAO's row as the views name its column. */
const snake = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** A row's constraint and MTU, stored or served: JAO's row id is not stable across revisions. */
export function slotOf(row: Record<string, unknown>): string {
  const served = 'dateTimeUtc' in row;
  const contingencyEics = served
    ? (row.contingencies as Array<{ branchEic: string | null }>).map((c) => c.branchEic)
    : row.contingency_eics;
  return JSON.stringify([
    row.tso,
    served ? row.cneEic : row.cne_eic,
    served ? row.cneName : row.cne_name,
    row.direction,
    contingencyEics,
    new Date(served ? String(row.dateTimeUtc) : (row.mtu as Date)).toISOString(),
  ]);
}

/** Every stored row equals the served row of the same constraint and MTU, field by field. */
export function expectStoredAsServed(rows: Array<Record<string, unknown>>, served: ServedRow[]): void {
  const bySlot = new Map(served.map((row) => [slotOf(row), row]));
  expect(rows).toHaveLength(served.length);
  for (const row of rows) {
    const source = bySlot.get(slotOf(row));
    expect(source, slotOf(row)).toBeDefined();
    for (const field of NUMERIC_FIELDS) expect(row[snake(field)], field).toBe(source![field]);
    const ptdfKeys = Object.keys(source!).filter((key) => key.startsWith('ptdf_'));
    expect(row.ptdf_hubs).toEqual(ptdfKeys.map((key) => key.slice(5)));
    expect(row.ptdf_values).toEqual(ptdfKeys.map((key) => source![key]));
    expect(row.contingencies).toEqual(source!.contingencies);
    expect(row.cne_name).toBe(source!.cneName);
  }
}
