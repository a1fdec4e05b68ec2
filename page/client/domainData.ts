// The flow-based domain view's model (domainView.ts): a day's hours, an hour's presolved CNECs as the table lists
// them (the most limiting first), and one CNEC's RAM as a line. Pure (no DOM): test/unit/domainData.test.ts.
import { addDays, dayLengthHours, dayStartMs } from '../../domain/calendar';
import { marketTimeText } from './marketTime';

/** The columns of a row of GET /v1/datasets/{dataset}/constraints that the domain view reads. */
export interface ConstraintRow {
  delivery_day: string;
  mtu: string;
  constraint_id: number;
  tso: string | null;
  cne_name: string | null;
  direction: string | null;
  /** The contingency's outaged branches' EICs; the N state is one branch without one (`[null]`), or none. */
  contingency_eics: (string | null)[];
  cont_name: string | null;
  ram: number | null;
  fmax: number | null;
  /** Hub → PTDF, in the order JAO published the hubs. */
  ptdfs: Record<string, number | null>;
  revision: number;
}

const HOUR_MS = 3_600_000;

/** Days drawn each side of the chosen day on the RAM chart. */
export const RAM_DAYS_AROUND = 3;

/** One MTU of a day: its UTC start and its market-time span. */
export interface DayHour {
  mtu: string;
  label: string;
}

/** The day's hourly MTUs (23, 24 or 25), labelled `02:00–03:00 CET` on the market's clock. */
export function dayHours(day: string): DayHour[] {
  const start = dayStartMs(day);
  return Array.from({ length: dayLengthHours(day) }, (_, index) => {
    const from = new Date(start + index * HOUR_MS).toISOString();
    const to = new Date(start + (index + 1) * HOUR_MS).toISOString();
    const [fromTime, fromZone] = marketTimeText(from, false).split(' ');
    const toText = marketTimeText(to, false);
    // The zone once when both ends share it (03:00–04:00 CET), at each end when the clocks change between them.
    const label = toText.endsWith(fromZone!) ? `${fromTime}–${toText}` : `${fromTime} ${fromZone}–${toText}`;
    return { mtu: from, label: `${String(index + 1).padStart(2, '0')} · ${label}` };
  });
}

/** A hub's PTDF: the largest in magnitude of a row. */
export interface HubPtdf {
  hub: string;
  ptdf: number;
}

/** The hub whose PTDF is largest in magnitude (the first in published order on a tie); null when none is published. */
export function largestPtdf(ptdfs: Readonly<Record<string, number | null>>): HubPtdf | null {
  let best: HubPtdf | null = null;
  for (const [hub, ptdf] of Object.entries(ptdfs)) {
    if (ptdf === null) continue;
    if (best === null || Math.abs(ptdf) > Math.abs(best.ptdf)) best = { hub, ptdf };
  }
  return best;
}

/**
 * The N state (no outaged branch: JAO publishes one branch with every field null), else the contingency's published
 * name, else its branch EICs.
 */
export function contingencyText(row: Pick<ConstraintRow, 'contingency_eics' | 'cont_name'>): string {
  const eics = row.contingency_eics.filter((eic): eic is string => eic !== null);
  if (eics.length === 0) return 'N state';
  const name = row.cont_name?.trim();
  return name ? name : eics.join(', ');
}

/**
 * What a presolved constraint limits: a network element (a CNEC: a line or transformer, in a direction, under a
 * contingency), an equality constraint (hubs' net positions tied together, its RAM 0 by design), or an external
 * constraint (a limit on a virtual hub's exchange with a zone outside Core, not a branch's margin).
 */
export type ConstraintKind = 'cnec' | 'equality' | 'external';

/** The groups of the hour's table, in the order it shows them: what an analyst looks at first, the CNECs, first. */
export const CONSTRAINT_GROUPS: readonly { kind: ConstraintKind; title: string; explanation: string }[] = [
  {
    kind: 'cnec',
    title: 'Network elements (CNECs)',
    explanation: 'lines and transformers, each in a direction and under a contingency; the lowest RAM first.',
  },
  {
    kind: 'equality',
    title: 'Equality constraints',
    explanation:
      "no network element: they tie hubs' net positions together (all hubs sum to zero; ALEGrO's two virtual hubs move together), so their RAM is 0 by design.",
  },
  {
    kind: 'external',
    title: 'External (virtual) constraints',
    explanation:
      "no network element: limits on a virtual hub's exchange with a zone outside Core (ALEGrO's BE_AL and DE_AL import and export), not a branch's margin.",
  },
];

/** A constraint's kind, from the names JAO gives the ones that are no network element (direction NA). */
export function constraintKind(row: Pick<ConstraintRow, 'cne_name' | 'direction'>): ConstraintKind {
  const name = row.cne_name?.trim() ?? '';
  if (/^equality constraint/i.test(name)) return 'equality';
  if (/^external constraint/i.test(name)) return 'external';
  // No direction (NA) and no name of either kind: not a branch in a direction either.
  return row.direction?.trim().toUpperCase() === 'NA' ? 'external' : 'cnec';
}

/** A line of the hour's table. */
export interface CnecLine {
  kind: ConstraintKind;
  constraintId: number;
  tso: string;
  cneName: string;
  direction: string;
  contingency: string;
  ram: number | null;
  fmax: number | null;
  largest: HubPtdf | null;
  revision: number;
}

const text = (value: string | null) => value?.trim() || '—';

/**
 * The rows of the MTU starting at `mtu` by group (CONSTRAINT_GROUPS: the network elements first), each group RAM
 * ascending (the most limiting first; none last), then by constraint.
 */
export function hourLines(rows: readonly ConstraintRow[], mtu: string): CnecLine[] {
  const at = Date.parse(mtu);
  const groupOf = (kind: ConstraintKind) => CONSTRAINT_GROUPS.findIndex((group) => group.kind === kind);
  return rows
    .filter((row) => Date.parse(row.mtu) === at)
    .map((row) => ({
      kind: constraintKind(row),
      constraintId: row.constraint_id,
      tso: text(row.tso),
      cneName: text(row.cne_name),
      direction: text(row.direction),
      contingency: contingencyText(row),
      ram: row.ram,
      fmax: row.fmax,
      largest: largestPtdf(row.ptdfs),
      revision: row.revision,
    }))
    .sort(
      (a, b) =>
        groupOf(a.kind) - groupOf(b.kind) ||
        (a.ram ?? Number.POSITIVE_INFINITY) - (b.ram ?? Number.POSITIVE_INFINITY) ||
        a.constraintId - b.constraintId,
    );
}

/** One constraint's RAM by MTU (epoch seconds); an MTU without RAM has no point. */
export function ramByMtu(rows: readonly ConstraintRow[]): Map<number, number> {
  const values = new Map<number, number>();
  for (const row of rows) if (row.ram !== null) values.set(Date.parse(row.mtu) / 1000, row.ram);
  return values;
}

/** The days the RAM chart reads around `day`: RAM_DAYS_AROUND each side, within firstDay..lastDay. */
export function ramRange(day: string, firstDay: string, lastDay: string): [string, string] {
  const from = addDays(day, -RAM_DAYS_AROUND);
  const to = addDays(day, RAM_DAYS_AROUND);
  return [from < firstDay ? firstDay : from, to > lastDay ? lastDay : to];
}

/** `1,570 MW`-style text of a margin, whole MW as JAO publishes them; `—` for none. */
export function mwText(value: number | null): string {
  if (value === null) return '—';
  return value.toLocaleString('en-GB', { maximumFractionDigits: 1 });
}

/** `DE −0.1234`: a hub and its PTDF to four decimals, the sign a true minus. */
export function ptdfText(largest: HubPtdf | null): string {
  if (!largest) return '—';
  const value = largest.ptdf.toFixed(4).replace('-', '−');
  return `${largest.hub} ${largest.ptdf > 0 ? '+' : ''}${value}`;
}
