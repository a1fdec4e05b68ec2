// The dataset declarations (domain/datasets/): each passes its zod check, agrees with its real capture, and Core
// maxExchanges keeps the values the pipeline had before declarations.
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../common/config';
import { sourceEndpointOf } from '../../domain/datasetSource';
import {
  CONSTRAINT_DATASETS,
  DATASETS,
  type DatasetDeclaration,
  DECLARATIONS,
  DEFAULT_DATASET,
  dataPathOf,
  declarationOf,
  declaredResolutionOn,
  declaredZonesOn,
  findDataset,
  KEYED_VALUE_DECLARATIONS,
  type KeyedValueDataset,
  unknownDatasetMessage,
} from '../../domain/datasets';
import { MAX_EXCHANGES_PATH } from '../../domain/datasets/compat';
import { declarationProblems } from '../../domain/datasets/declarationSchema';
import { type DayDrift, describeDrift, withDeclaredResolution } from '../../domain/drift';
import { namesInKey } from '../../domain/seriesKeys';
import { parseBackfillInput, parseDayInput, pollDays } from '../../domain/workflowInputs';
import { CAPTURES, captureText } from '../helpers/captures';

interface Capture {
  envelope: Record<string, unknown>;
  rows: Record<string, unknown>[];
}

function captureOf(dataset: KeyedValueDataset): Capture {
  const envelope = JSON.parse(captureText(dataset)) as Record<string, unknown>;
  return { envelope, rows: envelope.data as Record<string, unknown>[] };
}

describe('dataset declarations', () => {
  it('are sound, with distinct ids and paths, Core maxExchanges first and the default', () => {
    expect(declarationProblems(DECLARATIONS)).toEqual([]);
    expect(DATASETS[0]).toBe('maxExchanges');
    expect(DEFAULT_DATASET).toBe('maxExchanges');
  });

  it('refuse a mistaken declaration, one line per problem naming the dataset and the field', () => {
    const core = declarationOf('maxExchanges');
    const broken = {
      ...core,
      id: 'core/maxExchanges',
      firstDay: '2022-02-30',
      publication: { ...core.publication, window: '11:00-08:00' },
    } as DatasetDeclaration;
    const problems = declarationProblems([broken, core, core]);
    expect(problems.some((line) => line.startsWith('dataset core/maxExchanges: id:'))).toBe(true);
    expect(problems.some((line) => line.startsWith('dataset core/maxExchanges: firstDay:'))).toBe(true);
    expect(problems.some((line) => line.startsWith('dataset core/maxExchanges: publication.window:'))).toBe(
      true,
    );
    expect(problems).toContain('dataset maxExchanges: id declared twice');
    const shifted = {
      ...core,
      id: 'other',
      resolutions: [{ from: '2023-01-01', minutes: 60 }],
    } as DatasetDeclaration;
    expect(declarationProblems([shifted])).toEqual([
      'dataset other: resolutions.0.from: must be the first day',
    ]);
  });

  it('refuse shared facts that do not exist and a note about a field the declaration lacks', () => {
    const core = declarationOf('maxExchanges');
    const unknownFacts = { ...core, extends: ['coreDayAhead', 'coreIntraday'] } as DatasetDeclaration;
    expect(declarationProblems([unknownFacts])).toEqual([
      'dataset maxExchanges: extends.1: expected shared facts: coreDayAhead, nordicDayAhead, pagedConstraints',
    ]);
    const strayNote = {
      ...core,
      notes: { declaration: 'd', sparse: 'rows only where…' },
    } as DatasetDeclaration;
    expect(declarationProblems([strayNote])).toEqual([
      'dataset maxExchanges: notes.sparse: not a declared field',
    ]);
    const nestedNote = { ...core, notes: { 'publication.window': 'w' } } as DatasetDeclaration;
    expect(declarationProblems([nestedNote])).toEqual([]);
  });

  it('take the facts they extend, their own facts overriding them, and type the constraint datasets as their files say', () => {
    const core = declarationOf('maxExchanges');
    expect(core.extends).toEqual(['coreDayAhead']);
    expect(core.region).toBe('core');
    expect(core.firstDaySource).toMatch(/go-live announcement of 2022-06-08/);
    const shadowPrices = declarationOf('coreShadowPrices');
    expect([shadowPrices.region, shadowPrices.rowKind]).toEqual(['core', 'constraints']);
    const constraints = DECLARATIONS.filter((declaration) => declaration.rowKind === 'constraints');
    expect(constraints.map((declaration) => declaration.id)).toEqual([...CONSTRAINT_DATASETS]);
  });

  it('keep Core maxExchanges’ values from before declarations', () => {
    const core = declarationOf('maxExchanges');
    expect(dataPathOf(core)).toBe('/core/api/data/maxExchanges');
    expect(MAX_EXCHANGES_PATH).toBe('/core/api/data/maxExchanges');
    expect(declarationOf('maxExchanges').firstDay).toBe('2022-06-09');
    expect(declarationOf('maxExchanges').publication.window).toBe('08:00-11:00');
    expect(core.publication.deadline).toBe('12:00');
    expect(declaredResolutionOn(core, '2026-04-20')).toBe(60);
    expect(sourceEndpointOf('https://publicationtool.jao.eu/', 'maxExchanges')).toBe(
      'https://publicationtool.jao.eu/core/api/data/maxExchanges',
    );
    expect(sourceEndpointOf('https://publicationtool.jao.eu', 'nordicMaxExchanges')).toBe(
      'https://publicationtool.jao.eu/nordic/api/data/maxExchanges',
    );
  });

  it('declare Nordic hourly until the day-ahead market’s 15-minute MTU, then quarter-hours', () => {
    const nordic = declarationOf('nordicMaxExchanges');
    expect(declaredResolutionOn(nordic, '2024-10-30')).toBe(60);
    expect(declaredResolutionOn(nordic, '2025-09-30')).toBe(60);
    expect(declaredResolutionOn(nordic, '2025-10-01')).toBe(15);
  });

  for (const declaration of KEYED_VALUE_DECLARATIONS) {
    it(`${declaration.id}: agrees with its capture (path, resolution, keys and zones, extra fields, envelope)`, () => {
      const { envelope, rows } = captureOf(declaration.id);
      expect(dataPathOf(declaration)).toBe(CAPTURES[declaration.id].path);
      expect(Object.keys(envelope)).toEqual(['data', 'rejected', 'messages', ...declaration.envelopeFields]);
      const first = rows[0]!;
      const firstDay = String(first.dateTimeUtc).slice(0, 10);
      const declaredMs = declaredResolutionOn(declaration, firstDay) * 60_000;
      if (rows.length > 1) {
        const stepMs = Date.parse(String(rows[1]!.dateTimeUtc)) - Date.parse(String(first.dateTimeUtc));
        expect(stepMs).toBe(declaredMs);
      } else {
        // A capture of one MTU (netPos): its row starts on the declared grid, and the window is one MTU long.
        const { window } = CAPTURES[declaration.id];
        expect(Date.parse(window.to) - Date.parse(window.from)).toBe(declaredMs);
        expect(Date.parse(String(first.dateTimeUtc)) % declaredMs).toBe(0);
      }
      const fields = Object.keys(first);
      const extra = declaration.extraRowFields.map((field) => field.name);
      expect(fields.slice(0, 2 + extra.length)).toEqual(['id', 'dateTimeUtc', ...extra]);
      const keys = fields.slice(2 + extra.length);
      const zones = new Set<string>(declaredZonesOn(declaration, firstDay));
      const named = new Set<string>();
      for (const key of keys) {
        const names = namesInKey(declaration.keyPattern, key);
        expect(names, key).not.toBeNull();
        expect(
          names!.every((zone) => zones.has(zone)),
          key,
        ).toBe(true);
        for (const name of names!) named.add(name);
      }
      // Every zone declared by the capture's day appears in some key.
      expect([...zones].filter((zone) => !named.has(zone))).toEqual([]);
    });
  }

  it('a capture’s zone-less lastModifiedOn falls on D-1 before the gate, read as UTC', () => {
    const { rows } = captureOf('nordicMaxExchanges');
    for (const row of rows) {
      const modified = String(row.lastModifiedOn);
      expect(modified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$/);
      const modifiedMs = Date.parse(`${modified}Z`);
      const mtuMs = Date.parse(String(row.dateTimeUtc));
      // Before its MTU, and within the 24 hours before the delivery day began (CEST: 22:00Z the day before).
      expect(modifiedMs).toBeLessThan(mtuMs);
      expect(mtuMs - modifiedMs).toBeLessThan(2 * 86_400_000);
    }
  });

  it('are found by id or region/endpoint; an unknown name gets one line listing the known ones', () => {
    expect(findDataset('nordic/maxExchanges')).toBe('nordicMaxExchanges');
    expect(findDataset('NordicMaxExchanges')).toBe('nordicMaxExchanges');
    expect(findDataset('core/maxExchanges')).toBe('maxExchanges');
    expect(findDataset('baltic/maxExchanges')).toBeNull();
    expect(unknownDatasetMessage('x')).toBe(`unknown dataset "x" (known: ${DATASETS.join(', ')})`);
    const refused = parseDayInput({ dataset: 'x', day: '2026-04-20' });
    expect(refused).toEqual({
      ok: false,
      message: `dataset: unknown dataset "x" (known: ${DATASETS.join(', ')})`,
    });
  });

  it('bound workflow inputs by each dataset’s first day', () => {
    expect(parseDayInput({ day: '2022-06-08' })).toEqual({
      ok: false,
      message: '2022-06-08 is before Core flow-based go-live (2022-06-09): JAO has no data',
    });
    expect(parseDayInput({ dataset: 'nordicMaxExchanges', day: '2024-10-29' })).toEqual({
      ok: false,
      message: '2024-10-29 is before Nordic flow-based go-live (2024-10-30): JAO has no data',
    });
    expect(parseDayInput({ dataset: 'nordicMaxExchanges', day: '2024-10-30' }).ok).toBe(true);
    expect(parseDayInput({ day: '2025-02-29' })).toEqual({
      ok: false,
      message: 'day: 2025-02-29 is not a day of the calendar',
    });
    const now = new Date('2024-11-01T12:00:00Z');
    expect(
      parseBackfillInput({ dataset: 'nordicMaxExchanges', from: '2024-10-01', to: '2024-10-31' }, now),
    ).toEqual({
      ok: false,
      message: 'from 2024-10-01 is before Nordic flow-based go-live (2024-10-30): JAO has no data',
    });
    expect(pollDays(now, 3, 1, 'nordicMaxExchanges')).toEqual([
      '2024-10-30',
      '2024-10-31',
      '2024-11-01',
      '2024-11-02',
    ]);
    expect(pollDays(now, 3, 1, 'maxExchanges')).toEqual([
      '2024-10-29',
      '2024-10-30',
      '2024-10-31',
      '2024-11-01',
      '2024-11-02',
    ]);
  });
});

describe('drift against the declaration', () => {
  const base = {
    kinds: [] as DayDrift['kinds'],
    previousDay: null,
    resolutionMinutes: 60,
    previousResolutionMinutes: null,
    keysAdded: [],
    keysVanished: [],
  };

  it('flags a resolution other than the declared one, even without an earlier day', () => {
    const drift = withDeclaredResolution(base, 15);
    expect(drift?.kinds).toEqual(['resolution']);
    expect(describeDrift(drift!)).toBe('resolution 60 min, declared 15 min');
    expect(withDeclaredResolution({ ...base, resolutionMinutes: 15 }, 15)?.kinds).toEqual([]);
    const both = withDeclaredResolution(
      { ...base, kinds: ['resolution'], previousDay: '2026-01-01', previousResolutionMinutes: 15 },
      15,
    );
    expect(describeDrift(both!)).toBe('resolution 15 → 60 min against 2026-01-01');
  });
});

describe('JAO_DATASETS', () => {
  it('defaults to every declared dataset, takes ids, region/endpoint names or all, and refuses an unknown one', () => {
    expect(configSchema.parse({}).JAO_DATASETS).toEqual([...DATASETS]);
    expect(configSchema.parse({ JAO_DATASETS: 'maxExchanges' }).JAO_DATASETS).toEqual(['maxExchanges']);
    expect(configSchema.parse({ JAO_DATASETS: 'nordic/maxExchanges, maxExchanges' }).JAO_DATASETS).toEqual([
      'nordicMaxExchanges',
      'maxExchanges',
    ]);
    expect(configSchema.parse({ JAO_DATASETS: 'all' }).JAO_DATASETS).toEqual([...DATASETS]);
    const refused = configSchema.safeParse({ JAO_DATASETS: 'baltic' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe(unknownDatasetMessage('baltic'));
  });
});
