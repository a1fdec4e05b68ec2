// A simulated constraint row in a publication's own spelling (domain/flowBased/publicationFields.ts): the row of
// Core's domain spelling (rowJson.ts) renamed, trimmed to the fields the publication sends, its contingency flat or
// listed, its extra fields drawn, and its PTDFs on the publication's hubs under its prefix. Core's domain spelling
// itself is written by rowJson.ts unchanged.
import { CORE_DOMAIN_FIELDS, type ConstraintFields } from '../../domain/datasets/declaration';
import { publishedNames } from '../../domain/flowBased/publicationFields';
import type { Constraint } from './constraints';
import { textHash, unitOf } from './hash';

export interface PublicationSlot {
  constraint: Constraint;
  mtuMs: number;
  epoch: number;
  salt: number;
  presolved: boolean;
  /** Binds at the market clearing point: it has a shadow price. */
  active: boolean;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const round = (value: number, decimals: number) => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor || 0;
};

/** A PTDF for a hub the Core rows do not carry (Nordic's): drawn per constraint, hub and version. */
function drawnPtdf(slot: PublicationSlot, hub: string): number {
  const value =
    (unitOf(slot.constraint.pairSeed, textHash(hub), slot.mtuMs, slot.epoch, slot.salt) - 0.5) * 0.3;
  const five = round(value, 5);
  return Math.abs(five) < 1e-4 ? 0 : five;
}

const number = (row: Record<string, Json>, field: string) =>
  typeof row[field] === 'number' ? row[field] : 0;

/** How the simulator draws each extra field it knows; another is 0, null or false by its kind. */
const EXTRA_VALUES: Readonly<Record<string, (core: Record<string, Json>, slot: PublicationSlot) => Json>> = {
  shadowPrice: (_core, slot) =>
    slot.active
      ? round(0.5 + 150 * unitOf(slot.constraint.seed, slot.mtuMs, slot.epoch, slot.salt, 0x5a), 2)
      : 0,
  ramMcp: (core, slot) => (slot.active ? 0 : number(core, 'ram')),
  maxFlow: (core) => number(core, 'fmax') - number(core, 'frm'),
  minFlow: (core) => -(number(core, 'fmax') - number(core, 'frm')),
  aac: (core) => number(core, 'fref') - number(core, 'fall'),
  flowFb: (core) => number(core, 'fref'),
  cnecType: (_core, slot) => (slot.constraint.kind === 'cnec' ? 'BRANCH' : 'ALLOCATION_CONSTRAINT'),
  cnecName: (core) => core.cneName ?? null,
  contEic: (core) => {
    const first = Array.isArray(core.contingencies) ? core.contingencies[0] : null;
    return first && typeof first === 'object' && !Array.isArray(first) ? (first.branchEic ?? null) : null;
  },
  significant: (_core, slot) => slot.presolved,
  maxZ2ZPtdf: (core) => {
    const ptdfs = Object.entries(core)
      .filter(([key, value]) => key.startsWith('ptdf_') && typeof value === 'number')
      .map(([, value]) => value as number);
    return ptdfs.length === 0 ? 0 : round(Math.max(...ptdfs) - Math.min(...ptdfs), 5);
  },
};

const DEFAULTS = { number: 0, text: null, flag: false } as const;

/**
 * The row in the publication's spelling, from its Core-spelled JSON text; `hubs`: the hubs whose PTDFs the
 * publication carries on the row's day, in order.
 */
export function publicationRowJson(
  fields: ConstraintFields,
  coreRow: string,
  hubs: readonly string[],
  slot: PublicationSlot,
): string {
  if (fields === CORE_DOMAIN_FIELDS) return coreRow;
  const core = JSON.parse(coreRow) as Record<string, Json>;
  const published = new Map(publishedNames(fields));
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(core)) {
    if (key === 'id' || key === 'dateTimeUtc') out[key] = value;
    else if (key === 'presolved') {
      if (fields.presolvedFlag !== null) out[fields.presolvedFlag] = value;
    } else if (key === 'contingencies') {
      if (fields.contingency.form === 'list') out[key] = value;
      else {
        const first = Array.isArray(value) ? value[0] : null;
        const eic = first && typeof first === 'object' && !Array.isArray(first) ? first.branchEic : null;
        out[fields.contingency.branchEic] = eic ?? null;
      }
    } else if (!key.startsWith('ptdf_')) {
      const name = published.get(key as Parameters<typeof published.get>[0]);
      if (name) out[name] = value;
    }
  }
  for (const [name, kind] of Object.entries(fields.extra)) {
    const draw = EXTRA_VALUES[name];
    out[name] = draw ? draw(core, slot) : DEFAULTS[kind];
  }
  for (const hub of hubs) {
    const ptdf = core[`ptdf_${hub}`];
    out[`${fields.ptdfPrefix}${hub}`] = ptdf === undefined ? drawnPtdf(slot, hub) : ptdf;
  }
  return JSON.stringify(out);
}
