// The published numbers of one constraint at one MTU, drawn from seeds and made to hold every identity of
// domain/flowBased/identities.ts exactly: MW values are whole, minRamTarget has three decimals, PTDFs five.
import type { Constraint } from './constraints';
import { AHC_HUBS, PTDF_HUBS } from './endpoints';
import { drawsFrom, mixAll, textHash, unitOf } from './hash';

export interface ConstraintNumbers {
  ram: number;
  minRamTarget: number;
  minRamFactor: number;
  imax: number;
  u: number;
  fmax: number;
  frm: number;
  frefInit: number;
  fnrao: number;
  fref: number;
  fcore: number;
  fall: number;
  fuaf: number;
  amr: number;
  ltaMargin: number;
  cva: number;
  iva: number;
  ftotalLtn: number;
  fltn: number;
}

/** Share of a MTU's CNECs the presolve keeps (external and equality constraints are always kept). */
const PRESOLVED_SHARE = 0.22;

/** `0.2` not `0.20000000000000001`: a value rounded to `decimals` places. */
function rounded(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const result = Math.round(value * factor) / factor;
  return result === 0 ? 0 : result;
}

/** Whether the constraint is non-redundant at the MTU (`salt`: the computation; `epoch`: its values' version). */
export function isPresolved(constraint: Constraint, mtuMs: number, epoch: number, salt: number): boolean {
  if (constraint.kind !== 'cnec') return true;
  return unitOf(constraint.seed, mtuMs, epoch, salt, 0x5eed) < PRESOLVED_SHARE;
}

/** An element's PTDF pattern: its own zones strongly, the others weakly (by hub name, stable across days). */
function elementPtdf(constraint: Constraint, hub: string): number {
  const element = constraint.element!;
  const u = unitOf(textHash(element.name), textHash(hub));
  let value = (u - 0.5) * 0.1;
  if (hub === element.hubFrom) value += 0.08 + 0.22 * u;
  if (hub === element.hubTo && element.hubTo !== element.hubFrom) value -= 0.08 + 0.22 * u;
  return value;
}

function ptdfsOf(constraint: Constraint, mtuMs: number, epoch: number, salt: number, ahc: boolean) {
  const hubs = ahc ? [...PTDF_HUBS, ...AHC_HUBS] : PTDF_HUBS;
  const sign = constraint.direction === 'OPPOSITE' ? -1 : 1;
  return hubs.map((hub) => {
    if (constraint.unitPtdfs) return constraint.unitPtdfs[hub] ?? 0;
    const hubSeed = textHash(hub);
    const outage = (unitOf(constraint.pairSeed, hubSeed) - 0.5) * 0.06;
    const hourly = (unitOf(constraint.pairSeed, hubSeed, mtuMs, epoch, salt) - 0.5) * 0.01;
    const value = Math.max(-1, Math.min(1, elementPtdf(constraint, hub) + outage + hourly));
    // A PTDF is 0 or at least 1e-4 in size, so that it is written in plain decimals (never 5e-05).
    const five = rounded(value, 5);
    return Math.abs(five) < 1e-4 ? 0 : sign * five || 0;
  });
}

/** Numbers of an external (limit on one ALEGrO hub) or equality (the hubs' sum) constraint. */
function specialNumbers(
  constraint: Constraint,
  mtuMs: number,
  epoch: number,
  salt: number,
): ConstraintNumbers {
  const limit = constraint.limitMw;
  const frefInit =
    constraint.kind === 'external'
      ? Math.round((unitOf(constraint.pairSeed, mtuMs, epoch, salt) * 0.4 + 0.6) * limit) *
        (Object.values(constraint.unitPtdfs ?? {})[0] ?? 1)
      : 0;
  return {
    ram: limit,
    minRamTarget: 0.2,
    minRamFactor: 0,
    imax: 0,
    u: 0,
    fmax: limit,
    frm: 0,
    frefInit,
    fnrao: 0,
    fref: frefInit,
    fcore: 0,
    fall: 0,
    fuaf: 0,
    amr: 0,
    ltaMargin: 0,
    cva: 0,
    iva: 0,
    ftotalLtn: 0,
    fltn: 0,
  };
}

/**
 * A CNEC's numbers: draws shared by both directions of the element under one contingency (the OPPOSITE row's flows
 * are the DIRECT row's negated, as in the fixture), then the derived fields computed from them.
 */
function cnecNumbers(constraint: Constraint, mtuMs: number, epoch: number, salt: number): ConstraintNumbers {
  const element = constraint.element!;
  const draw = drawsFrom(mixAll(constraint.pairSeed, mtuMs, epoch, salt));
  const sign = constraint.direction === 'OPPOSITE' ? -1 : 1;
  const imax = element.imax;
  const fmax = Math.round((Math.sqrt(3) * 400 * imax) / 1000);
  const frm = Math.round(fmax * (0.05 + 0.05 * unitOf(textHash(element.name), 0xf4))) || 0;
  const hour = new Date(mtuMs).getUTCHours();
  const daily = Math.sin(((hour - 6) / 24) * 2 * Math.PI);
  const fall = sign * Math.round((0.35 * daily + (draw() - 0.5) * 0.5) * fmax * 0.6) || 0;
  const fuaf = sign * Math.round((draw() - 0.5) * 0.4 * fmax) || 0;
  const fnrao = draw() < 0.5 ? 0 : sign * Math.round((draw() - 0.5) * 0.06 * fmax) || 0;
  const frefInit = sign * Math.round((draw() - 0.5) * 1.2 * fmax) || 0;
  const fltn = draw() < 0.7 ? 0 : sign * Math.round((draw() - 0.5) * 0.1 * fmax) || 0;
  const cva = draw() < 0.95 ? 0 : Math.round(draw() * 0.05 * fmax);
  const iva = draw() < 0.95 ? 0 : Math.round(draw() * 0.05 * fmax);
  const ltaMargin = draw() < 0.9 ? 0 : Math.round(draw() * 0.08 * fmax);
  const fcore = fall + fuaf;
  const fref = frefInit - fnrao;
  const ftotalLtn = fcore + fltn;
  const minRamFactor = element.minRamFactor;
  const minRamTarget = rounded(Math.max(0.2, minRamFactor / 100 - fuaf / fmax), 3);
  const margin = fmax - frm - fcore - fltn - cva - iva + ltaMargin;
  const amr = Math.max(0, Math.round(minRamTarget * fmax * 0.85) - margin);
  return {
    ram: margin + amr,
    minRamTarget,
    minRamFactor,
    imax,
    u: 380,
    fmax,
    frm,
    frefInit,
    fnrao,
    fref,
    fcore,
    fall,
    fuaf,
    amr,
    ltaMargin,
    cva,
    iva,
    ftotalLtn,
    fltn,
  };
}

export interface ConstraintValues {
  numbers: ConstraintNumbers;
  /** PTDF_HUBS' then (with AHC) AHC_HUBS' values, in that order. */
  ptdfs: number[];
}

/** A constraint's values at a MTU, for one computation (`salt`) and version of its values (`epoch`). */
export function constraintValues(
  constraint: Constraint,
  mtuMs: number,
  epoch: number,
  salt: number,
  ahc: boolean,
): ConstraintValues {
  const numbers =
    constraint.kind === 'cnec'
      ? cnecNumbers(constraint, mtuMs, epoch, salt)
      : specialNumbers(constraint, mtuMs, epoch, salt);
  return { numbers, ptdfs: ptdfsOf(constraint, mtuMs, epoch, salt, ahc) };
}
