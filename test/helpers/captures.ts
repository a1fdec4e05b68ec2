// The real JAO answers of each declared dataset as first recorded (test/fixtures/jao/README.md): the window each was
// captured for, read by the declaration and simulator fidelity tests, and the shape of each row's fields.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dayWindow } from '../../domain/calendar';
import { dataPathOf, KEYED_VALUE_DECLARATIONS, type KeyedValueDataset } from '../../domain/datasets';
import type { DeliveryDay, UtcWindow } from '../../domain/types';

/**
 * `captured`: a real JAO answer, verbatim; `reconstructed`: real values rebuilt into JAO's row from a client's
 * workspace (test/fixtures/jao/more/*.source.txt); `built`: written from the declaration and the facts of
 * test/fixtures/jao/more/README.md, values synthetic (the simulator's answer to the declaration).
 */
export type CaptureKind = 'captured' | 'reconstructed' | 'built';

export interface Capture {
  file: string;
  /** The request's data path. */
  path: string;
  window: UtcWindow;
  kind: CaptureKind;
}

/** The day of the fixtures of test/fixtures/jao/more/: real values where they exist, one built day for the rest. */
const RECONSTRUCTED_DAYS: { readonly [dataset: string]: DeliveryDay } = {
  coreActiveLtaConstraint: '2025-01-02',
  coreD2CF: '2025-01-02',
};
export const BUILT_DAY: DeliveryDay = '2026-05-05';

/** The real captures of the datasets the project kept first (test/fixtures/jao/README.md). */
const REAL_CAPTURES: { readonly [dataset: string]: Omit<Capture, 'kind'> } = {
  maxExchanges: {
    file: 'core_maxExchanges_2026-04-20T00Z_2026-04-22T00Z.compact.json',
    path: '/core/api/data/maxExchanges',
    window: { from: '2026-04-20T00:00:00.000Z', to: '2026-04-22T00:00:00.000Z' },
  },
  nordicMaxExchanges: {
    file: 'nordic_maxExchanges_2026-04-20T00Z_2026-04-22T00Z.compact.json',
    path: '/nordic/api/data/maxExchanges',
    window: { from: '2026-04-20T00:00:00.000Z', to: '2026-04-22T00:00:00.000Z' },
  },
  coreShadowAuctionATC: {
    file: 'core_shadowAuctionATC_2025-10-01T00Z_2025-10-04T00Z.json',
    path: '/core/api/data/shadowAuctionATC',
    window: { from: '2025-10-01T00:00:00.000Z', to: '2025-10-04T00:00:00.000Z' },
  },
  coreScheduledExchanges: {
    file: 'core_scheduledExchanges_2026-04-20T00Z_2026-04-22T00Z.json',
    path: '/core/api/data/scheduledExchanges',
    window: { from: '2026-04-20T00:00:00.000Z', to: '2026-04-22T00:00:00.000Z' },
  },
  coreAtc: {
    file: 'core_atc_2026-04-20T00Z_2026-04-22T00Z.json',
    path: '/core/api/data/atc',
    window: { from: '2026-04-20T00:00:00.000Z', to: '2026-04-22T00:00:00.000Z' },
  },
  nordicMaxBorderFlow: {
    file: 'nordic_maxBorderFlow_2026-04-20T00Z_2026-04-22T00Z.json',
    path: '/nordic/api/data/maxBorderFlow',
    window: { from: '2026-04-20T00:00:00.000Z', to: '2026-04-22T00:00:00.000Z' },
  },
  // One quarter-hour only (test/fixtures/jao/flowbased/README.md): no whole delivery day of netPos was captured.
  coreNetPos: {
    file: 'flowbased/core_netPos_2026-08-09T00Z.json',
    path: '/core/api/data/netPos',
    window: { from: '2026-08-09T00:00:00.000Z', to: '2026-08-09T00:15:00.000Z' },
  },
};

export const CAPTURES = Object.fromEntries(
  KEYED_VALUE_DECLARATIONS.map((declaration): [string, Capture] => {
    const real = REAL_CAPTURES[declaration.id];
    if (real) return [declaration.id, { ...real, kind: 'captured' }];
    const reconstructed = RECONSTRUCTED_DAYS[declaration.id];
    const day = reconstructed ?? BUILT_DAY;
    const kind = reconstructed ? 'reconstructed' : 'built';
    return [
      declaration.id,
      {
        file: `more/${declaration.region}_${declaration.endpoint}_${day}.${kind}.json`,
        path: dataPathOf(declaration),
        window: dayWindow(day),
        kind,
      },
    ];
  }),
) as { readonly [D in KeyedValueDataset]: Capture };

/** The datasets whose fixture is a real JAO answer, verbatim: the simulator's profile of each is built from it. */
export const VERBATIM_CAPTURES = KEYED_VALUE_DECLARATIONS.filter(
  (declaration) => CAPTURES[declaration.id].kind === 'captured',
);

export function captureText(dataset: KeyedValueDataset): string {
  return readFileSync(join(__dirname, '..', 'fixtures', 'jao', CAPTURES[dataset].file), 'utf8');
}

/**
 * The answer's text with whitespace removed (JAO's strings hold none) and every run of digits written `9`: what is
 * left is the envelope and the field order, once per answer rather than per row. `signed`: a value's sign is data
 * (a signed dataset: domain/datasets valueSign), not form, so it is left out.
 */
export function answerSkeleton(text: string, signed = false): string {
  const compact = text.replace(/\s+/g, '');
  return (signed ? compact.replace(/:-(?=\d)/g, ':') : compact).replace(/\d+/g, '9');
}

/** One member of a row as written: its name and the form of its value (`9.0000000000`, `9`, `null`, `"9-9-9T9:9:9Z"`). */
type MemberForm = [name: string, form: string];

const MEMBER = /"([^"]+)"\s*:\s*(null|true|false|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|"[^"]*")/g;

/** Each row's members in order, their values reduced to their form: digits before a point → `9`, after it kept as count. */
export function rowForms(text: string, signed = false): MemberForm[][] {
  const start = text.indexOf('[');
  const end = text.lastIndexOf(']');
  const rows: MemberForm[][] = [];
  let row: MemberForm[] = [];
  for (const [, name, value] of text.slice(start, end).matchAll(MEMBER)) {
    if (name === 'id' && row.length > 0) {
      rows.push(row);
      row = [];
    }
    row.push([name!, formOf(signed ? value!.replace(/^-/, '') : value!)]);
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

function formOf(value: string): string {
  if (value.startsWith('"')) return value.replace(/\d+/g, '9');
  return value
    .replace(/^-?\d+/, (digits) => (digits.startsWith('-') ? '-9' : '9'))
    .replace(/\.(\d+)/, (_, d: string) => `.${'0'.repeat(d.length)}`);
}

/**
 * The first place two answers' rows differ in shape, named by row, MTU and member (`row 5 (2026-04-20T01:15:00Z),
 * border_AT_BE: capture 9.0000000000, simulator 9.0`); null when every row has the same members in the same order,
 * written the same way (`signed`: whatever their sign).
 */
export function firstShapeDifference(capture: string, simulated: string, signed = false): string | null {
  const real = rowForms(capture, signed);
  const fake = rowForms(simulated, signed);
  if (real.length !== fake.length) return `rows: capture ${real.length}, simulator ${fake.length}`;
  const instants = (JSON.parse(capture) as { data: Array<{ dateTimeUtc?: unknown }> }).data.map((row) =>
    String(row.dateTimeUtc),
  );
  for (const [i, realRow] of real.entries()) {
    const fakeRow = fake[i]!;
    for (let m = 0; m < Math.max(realRow.length, fakeRow.length); m++) {
      const [realName, realForm] = realRow[m] ?? ['(none)', ''];
      const [fakeName, fakeForm] = fakeRow[m] ?? ['(none)', ''];
      const at = `row ${i} (${instants[i]})`;
      if (realName !== fakeName) return `${at}, member ${m}: capture ${realName}, simulator ${fakeName}`;
      if (realForm !== fakeForm) return `${at}, ${realName}: capture ${realForm}, simulator ${fakeForm}`;
    }
  }
  return null;
}

/** Whether every quarter-hour of the answer carries its hour's values (the Nordic captures' values hold per hour). */
export function valuesHoldForTheHour(text: string): boolean {
  const rows = (JSON.parse(text) as { data: Array<Record<string, unknown>> }).data;
  let previous: Record<string, unknown> | undefined;
  for (const row of rows) {
    if (previous !== undefined && !String(row.dateTimeUtc).includes(':00:00')) {
      for (const [name, value] of Object.entries(row)) {
        if (name.startsWith('border_') && value !== previous[name]) return false;
      }
    }
    previous = row;
  }
  return true;
}
