// The key grammar (domain/seriesKeys.ts): every spelling JAO's wide rows use reads to what a key names, a malformed
// key gets one rule, a malformed pattern one line; and every keyed declaration's fixture (test/fixtures/jao/) reads
// complete by its declaration, the sparse and null-publishing ones included.
import { describe, expect, it } from 'vitest';
import {
  type DatasetDeclaration,
  declarationOf,
  KEYED_VALUE_DECLARATIONS,
  unitOfKey,
} from '../../domain/datasets';
import { declarationProblems } from '../../domain/datasets/declarationSchema';
import { judgeDay } from '../../domain/dayStatus';
import { MAX_KEY_LENGTH } from '../../domain/limits';
import { keyReaderOf, namesInKey, parseKeyPattern } from '../../domain/seriesKeys';
import { optionsFor, validateDay, validateWindow } from '../../domain/validate';
import { CAPTURES, captureText } from '../helpers/captures';

describe('key grammar', () => {
  const spellings: Array<[string, string | string[], string, string, string | null]> = [
    ['plain border', 'border_{FROM}_{TO}', 'border_AT_BE', 'AT', 'BE'],
    [
      'prefixed border family',
      ['shadowPrice_{FROM}_{TO}', 'qty_{FROM}_{TO}'],
      'shadowPrice_BE_ALBE',
      'BE',
      'ALBE',
    ],
    ['prefixed border family', ['initial_{FROM}_{TO}', 'delta_{FROM}_{TO}'], 'delta_DE_NL', 'DE', 'NL'],
    ['hub', 'hub_{HUB}', 'hub_DE_DK1_VH', 'DE_DK1_VH', null],
    ['no separator', ['min{HUB}', 'max{HUB}'], 'minALBE', 'ALBE', null],
    ['separator', ['min_{HUB}', 'max_{HUB}'], 'max_NO2_SK', 'NO2_SK', null],
    ['zone family', 'globalNetPosition_{HUB}', 'globalNetPosition_DK1', 'DK1', null],
    ['area families', ['verticalLoad_{HUB}', 'generation_{HUB}'], 'generation_50Hertz', '50Hertz', null],
    ['limits', ['limitUp_{HUB}', 'limitDown_{HUB}'], 'limitDown_PL', 'PL', null],
    [
      'mixed row',
      ['grossHub_{HUB}', 'grossTso_{HUB}', 'grossBorder_{FROM}_{TO}'],
      'grossBorder_DE_DK1',
      'DE',
      'DK1',
    ],
    [
      'mixed row',
      ['grossHub_{HUB}', 'grossTso_{HUB}', 'grossBorder_{FROM}_{TO}'],
      'grossTso_TennetBv',
      'TennetBv',
      null,
    ],
    ['plain key', 'alphaFactor', 'alphaFactor', 'alphaFactor', null],
  ];
  for (const [spelling, patterns, key, fromZone, toZone] of spellings) {
    it(`reads ${spelling}: ${key}`, () => {
      expect(keyReaderOf(patterns).isKey(key)).toBe(true);
      expect(keyReaderOf(patterns).read(key)).toEqual({ ok: true, series: { key, fromZone, toZone } });
    });
  }

  it('names what a key names: a pair, one name, nothing for a plain key', () => {
    expect(namesInKey(['min{HUB}', 'max{HUB}'], 'maxAT')).toEqual(['AT']);
    expect(namesInKey('qty_{FROM}_{TO}', 'qty_AT_CZ')).toEqual(['AT', 'CZ']);
    expect(namesInKey('alphaFactor', 'alphaFactor')).toEqual([]);
    expect(namesInKey('alphaFactor', 'betaFactor')).toBeNull();
  });

  it('claims only the fields of its families: other fields are no keys', () => {
    const reader = keyReaderOf(['min{HUB}', 'max{HUB}']);
    expect(['id', 'dateTimeUtc', 'lastModifiedOn', 'hub_AT'].filter((field) => reader.isKey(field))).toEqual(
      [],
    );
    expect(keyReaderOf('alphaFactor').isKey('alphaFactorX')).toBe(false);
    // The longest prefix decides: `grossBorder_` is no hub of `gross{HUB}`.
    expect(keyReaderOf(['gross{HUB}', 'grossBorder_{FROM}_{TO}']).read('grossBorder_AT_AT')).toEqual({
      ok: false,
      rule: 'key_same_zone',
    });
  });

  it('refuses malformed keys with one rule each', () => {
    const cases: Array<[string | string[], string, string]> = [
      ['border_{FROM}_{TO}', 'border_AT', 'key_format'],
      ['border_{FROM}_{TO}', 'border_at_be', 'key_format'],
      ['border_{FROM}_{TO}', 'border_AT_AT', 'key_same_zone'],
      ['shadowPrice_{FROM}_{TO}', 'shadowPrice_AT\u0000_BE', 'key_format'],
      ['min{HUB}', 'min', 'key_format'],
      ['min{HUB}', 'min_AT', 'key_format'],
      ['hub_{HUB}', `hub_${'A'.repeat(MAX_KEY_LENGTH)}`, 'key_too_long'],
      ['globalNetPosition_{HUB}', 'globalNetPosition_A-B', 'key_format'],
    ];
    for (const [patterns, key, rule] of cases) {
      expect(keyReaderOf(patterns).read(key), JSON.stringify(key)).toEqual({ ok: false, rule });
    }
  });

  it('refuses a malformed pattern with one line', () => {
    expect(parseKeyPattern('min{HUB}').ok).toBe(true);
    for (const pattern of ['{HUB}', '_x{HUB}', 'a-b_{FROM}_{TO}', 'x{FROM}{TO}', 'border_{TO}_{FROM}']) {
      const parsed = parseKeyPattern(pattern);
      expect(parsed.ok, pattern).toBe(false);
      if (!parsed.ok) expect(parsed.reason).not.toContain('\n');
    }
  });

  it('refuses a mistaken key declaration, one line per problem', () => {
    const lta = declarationOf('coreActiveLtaConstraint');
    const broken = {
      ...lta,
      keyPattern: ['shadowPrice_{FROM}_{TO}', 'shadowPrice_{FROM}_{TO}', 'bad pattern'],
    } as unknown as DatasetDeclaration;
    const problems = declarationProblems([broken]);
    expect(problems.length).toBeGreaterThan(0);
    expect(
      problems.every(
        (line) => line.startsWith('dataset coreActiveLtaConstraint: keyPattern') && !line.includes('\n'),
      ),
    ).toBe(true);
    const wrongKeys = {
      ...lta,
      keys: ['shadowPrice_AT_XX', 'minAT'],
      patternUnits: { 'price_{FROM}_{TO}': 'EUR/MW' },
    } as unknown as DatasetDeclaration;
    expect(declarationProblems([wrongKeys]).sort()).toEqual(
      [
        'dataset coreActiveLtaConstraint: keys.0: must name two different declared zones',
        'dataset coreActiveLtaConstraint: keys.1: expected a key shadowPrice_{FROM}_{TO} or qty_{FROM}_{TO}',
        'dataset coreActiveLtaConstraint: patternUnits.price_{FROM}_{TO}: not a declared key pattern',
      ].sort(),
    );
    expect(declarationProblems([{ ...lta, unit: 'GW' } as unknown as DatasetDeclaration])).toEqual([
      'dataset coreActiveLtaConstraint: unit: expected a unit: MW, EUR/MWh, EUR, EUR/MW, dimensionless',
    ]);
  });

  it('gives a family its own unit: a shadow price is EUR/MW beside its MW quantity', () => {
    const lta = declarationOf('coreActiveLtaConstraint');
    expect(unitOfKey(lta, 'shadowPrice_AT_CZ')).toBe('EUR/MW');
    expect(unitOfKey(lta, 'qty_AT_CZ')).toBe('MW');
    expect(unitOfKey(declarationOf('corePriceSpread'), 'border_AT_CZ')).toBe('EUR/MWh');
  });
});

describe('every keyed declaration reads its fixture', () => {
  for (const declaration of KEYED_VALUE_DECLARATIONS) {
    const capture = CAPTURES[declaration.id];
    it(`${declaration.id} (${capture.kind}): complete, every published value read`, () => {
      const payload = JSON.parse(captureText(declaration.id)) as { data: Array<Record<string, unknown>> };
      const day = capture.window.from.slice(0, 10);
      const outcome = validateWindow(capture.window, payload, optionsFor(declaration, day));
      if (!outcome.ok) throw new Error(outcome.reason);
      const result = outcome.result;
      expect(result.rejections).toEqual([]);
      expect(result.unknownFields).toEqual([]);
      expect(judgeDay(result)).toEqual({ status: 'complete', reason: null });
      const reader = keyReaderOf(declaration.keyPattern);
      let published = 0;
      for (const row of payload.data) {
        for (const [field, value] of Object.entries(row))
          if (reader.isKey(field) && value !== null) published++;
      }
      expect(result.points).toHaveLength(published);
    });
  }
});

describe('sparse rows and published nulls', () => {
  const lta = declarationOf('coreActiveLtaConstraint');
  const fixture = () =>
    JSON.parse(captureText('coreActiveLtaConstraint')) as { data: Array<Record<string, unknown>> };
  const DAY = '2025-01-02';

  it('an hour without a row is nothing to publish: 23 of 24 hours expected, the day complete', () => {
    const outcome = validateDay(DAY, fixture(), optionsFor(lta, DAY));
    if (!outcome.ok) throw new Error(outcome.reason);
    expect([outcome.result.expectedMtus, outcome.result.missingMtus]).toEqual([23, []]);
    expect(judgeDay(outcome.result).status).toBe('complete');
  });

  it('without the declaration the same answer is partial: an hour missing and nulls', () => {
    const outcome = validateDay(DAY, fixture(), {
      ...optionsFor(lta, DAY),
      sparseRows: false,
      nullsPublished: false,
    });
    if (!outcome.ok) throw new Error(outcome.reason);
    const verdict = judgeDay(outcome.result);
    expect(verdict.status).toBe('partial');
    expect(verdict.reason).toContain('1 of 24 MTUs missing');
    expect(verdict.reason).toContain('null values');
  });

  it('a row read only in part keeps a sparse day partial, and a day without rows is not published', () => {
    const answer = fixture();
    answer.data[3]!.qty_AT_CZ = 'x';
    const outcome = validateDay(DAY, answer, optionsFor(lta, DAY));
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(judgeDay(outcome.result).status).toBe('partial');
    const empty = validateDay(DAY, { data: [], rejected: false, messages: null }, optionsFor(lta, DAY));
    if (!empty.ok) throw new Error(empty.reason);
    expect(judgeDay(empty.result).status).toBe('not_published');
  });

  it('a value beyond its unit’s plausible size is refused: congestion income in EUR may pass 100,000', () => {
    const income = declarationOf('coreCongestionIncome');
    const answer = JSON.parse(captureText('coreCongestionIncome')) as {
      data: Array<Record<string, unknown>>;
    };
    answer.data[0]!.grossHub_AT = 2_500_000;
    const day = CAPTURES.coreCongestionIncome.window.from.slice(0, 10);
    const outcome = validateWindow(CAPTURES.coreCongestionIncome.window, answer, optionsFor(income, day));
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.result.rejections).toEqual([]);
    answer.data[0]!.grossHub_AT = 2_000_000_000;
    const refused = validateWindow(CAPTURES.coreCongestionIncome.window, answer, optionsFor(income, day));
    if (!refused.ok) throw new Error(refused.reason);
    expect(refused.result.rejections.map((r) => r.rule)).toEqual(['value_too_large']);
  });
});
