// The JSON text of a domain row and of a net-position row, keys in the order of the real rows
// (test/fixtures/jao/flowbased/) and numbers written as they are there: whole MW as `1598.0`, PTDFs with up to five
// decimals, `ptdf_CH` null.
import type { Constraint } from './constraints';
import { AHC_HUBS, PTDF_HUBS } from './endpoints';
import type { OutagedBranch } from './networkModel';
import type { ConstraintNumbers, ConstraintValues } from './values';

/** A number as the fixture writes it: `1598.0`, `0.879`, `-0.0219` (a float, never an integer literal). */
export function floatJson(value: number): string {
  return Number.isInteger(value) ? `${value === 0 ? 0 : value}.0` : String(value);
}

/** Tenths of a MW as the netPos answer writes them: `-2287.8`, `0.0`. */
export function tenthsJson(tenths: number): string {
  const size = Math.abs(tenths);
  return `${tenths < 0 ? '-' : ''}${Math.floor(size / 10)}.${size % 10}`;
}

/** `2024-12-31T23:00:00Z`, as JAO writes `dateTimeUtc`. */
export function utcText(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

const text = (value: string | null) => JSON.stringify(value);

/** What Elia writes as its target's justification (the fixture's text); the other TSOs write nothing. */
function justificationOf(constraint: Constraint): string {
  if (constraint.kind !== 'cnec') return '';
  return constraint.tso === 'ELIA' ? 'Elia set MACZT (MCCC+MNCC) target to 70,00% as fallback.' : '';
}

const N_STATE: OutagedBranch = {
  branchEic: null,
  hubFrom: null,
  hubTo: null,
  substationFrom: null,
  substationTo: null,
  elementType: null,
};

function contingenciesJson(branches: readonly OutagedBranch[]): string {
  const items = branches.map(
    (b, i) =>
      `{"number":${i + 1},"branchEic":${text(b.branchEic)},"hubFrom":${text(b.hubFrom)},"hubTo":${text(b.hubTo)},` +
      `"substationFrom":${text(b.substationFrom)},"substationTo":${text(b.substationTo)},"elementType":${text(b.elementType)}}`,
  );
  return `[${items.join(',')}]`;
}

/** The members from `tso` to `contingencies`, the same in every row of the constraint. */
function descriptionJson(c: Constraint): string {
  const e = c.element;
  const na = 'NA';
  const contingency = c.contingency;
  return (
    `"tso":${text(c.tso)},"cneName":${text(e ? e.name : c.specialName)},"cneEic":${text(e ? e.eic : na)},` +
    `"cneStatus":"no CRA","direction":${text(c.direction)},"hubFrom":${text(e ? e.hubFrom : na)},` +
    `"hubTo":${text(e ? e.hubTo : na)},"substationFrom":${text(e ? e.substationFrom : na)},` +
    `"substationTo":${text(e ? e.substationTo : na)},"elementType":${text(e ? e.elementType : null)},` +
    `"fmaxType":${text(e ? e.fmaxType : null)},"contTso":${text(contingency ? contingency.tso : null)},` +
    `"contName":${text(contingency ? contingency.name : null)},` +
    `"contingencies":${contingenciesJson(contingency ? contingency.branches : [N_STATE])}`
  );
}

const descriptions = new WeakMap<Constraint, string>();

function cachedDescription(c: Constraint): string {
  let description = descriptions.get(c);
  if (description === undefined) {
    description = descriptionJson(c);
    descriptions.set(c, description);
  }
  return description;
}

const FLOW_FIELDS: ReadonlyArray<keyof ConstraintNumbers> = [
  'imax',
  'u',
  'fmax',
  'frm',
  'frefInit',
  'fnrao',
  'fref',
  'fcore',
  'fall',
  'fuaf',
  'amr',
  'ltaMargin',
  'cva',
  'iva',
  'ftotalLtn',
  'fltn',
];

const PTDF_PREFIXES = PTDF_HUBS.map((hub) => `,"ptdf_${hub}":`);
const AHC_PREFIXES = AHC_HUBS.map((hub) => `,"ptdf_${hub}":`);

/** One row of the domain: 52 members before AHC, 61 from it (its nine hubs after `ptdf_CH`). */
export function domainRowJson(
  id: number,
  mtuMs: number,
  constraint: Constraint,
  presolved: boolean,
  values: ConstraintValues,
): string {
  const n = values.numbers;
  let row =
    `{"id":${id},"dateTimeUtc":"${utcText(mtuMs)}",${cachedDescription(constraint)},"presolved":${presolved},` +
    `"ram":${floatJson(n.ram)},"minRamTarget":${floatJson(n.minRamTarget)},"minRamFactor":${floatJson(n.minRamFactor)},` +
    `"justification":${text(justificationOf(constraint))}`;
  for (const field of FLOW_FIELDS) row += `,"${field}":${floatJson(n[field])}`;
  const { ptdfs } = values;
  for (let i = 0; i < PTDF_PREFIXES.length; i++) row += `${PTDF_PREFIXES[i]}${floatJson(ptdfs[i]!)}`;
  row += ',"ptdf_CH":null';
  if (ptdfs.length > PTDF_PREFIXES.length) {
    for (let i = 0; i < AHC_PREFIXES.length; i++)
      row += `${AHC_PREFIXES[i]}${floatJson(ptdfs[PTDF_PREFIXES.length + i]!)}`;
  }
  return `${row}}`;
}

/** One row of netPos: `id`, `dateTimeUtc`, then `hub_<hub>` per hub in the order given, MW with one decimal. */
export function netPositionRowJson(
  id: number,
  mtuMs: number,
  hubs: readonly string[],
  tenths: readonly number[],
): string {
  let row = `{"id":${id},"dateTimeUtc":"${utcText(mtuMs)}"`;
  for (let i = 0; i < hubs.length; i++) row += `,"hub_${hubs[i]}":${tenthsJson(tenths[i]!)}`;
  return `${row}}`;
}
