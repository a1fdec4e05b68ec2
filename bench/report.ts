// The format every benchmark prints: its figures, each with the ratio to a baseline measured in the same run,
// then one line per target, `target <name>: met (<measured>)` or `target <name>: NOT met (<measured>)`.

export interface Target {
  /** What is promised, e.g. `first write ≥ 0.5 × COPY`. */
  name: string;
  met: boolean;
  /** The figure it was judged on, e.g. `0.62` or `38 MB`; `not measured` when the run did not measure it. */
  measured: string;
}

export const TARGET_LINE = /^target (.+): (met|NOT met) \((.*)\)$/;

export function targetLine(target: Target): string {
  return `target ${target.name}: ${target.met ? 'met' : 'NOT met'} (${target.measured})`;
}

export function printTargets(targets: readonly Target[]): void {
  for (const target of targets) console.log(targetLine(target));
}

/** A figure next to its baseline: `ratio 1.84` (value / baseline), or `ratio n/a` without a usable baseline. */
export function ratio(value: number, baseline: number): string {
  return `ratio ${Number.isFinite(value / baseline) && baseline !== 0 ? (value / baseline).toFixed(2) : 'n/a'}`;
}

/** `--smoke`, removed from the arguments: tiny sizes and short waits, for `npm test` (test/bench/smoke.test.ts). */
export function takeSmokeFlag(args: readonly string[]): { smoke: boolean; rest: string[] } {
  return { smoke: args.includes('--smoke'), rest: args.filter((arg) => arg !== '--smoke') };
}
