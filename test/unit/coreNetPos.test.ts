// Core netPos by declaration: hub keys (`hub_{HUB}`) read into their hub, signed values legal for it alone, the AHC
// hubs declared from 2026-06-11, a new hub a new series, and the real answer (one quarter-hour after AHC) validated
// with every value accepted.
import { describe, expect, it } from 'vitest';
import {
  allDeclaredZones,
  type DatasetDeclaration,
  DECLARATIONS,
  declarationOf,
  declaredResolutionOn,
  declaredZonesOn,
  KEYED_VALUE_DECLARATIONS,
  keyedValueDatasets,
} from '../../domain/datasets';
import { declarationProblems } from '../../domain/datasets/declarationSchema';
import { hubKey } from '../../domain/hubs';
import { MAX_HUB_NAME_LENGTH, MAX_KEY_LENGTH } from '../../domain/limits';
import { keyReaderOf, namesInKey } from '../../domain/seriesKeys';
import { optionsFor, validateWindow } from '../../domain/validate';
import { CAPTURES, captureText } from '../helpers/captures';

const netPos = declarationOf('coreNetPos');
const AHC = [
  'DE_DK1_VH',
  'DE_DK2_BigHub',
  'DE_NO2_BigHub',
  'DE_SE4_Baltic',
  'NL_DK1_COBRA',
  'NL_NO2_NorNed',
  'PL_LT_BigHub',
  'PL_SE4_SwePol',
  'RO_BG_VH',
];
const CORE_HUBS = ['ALBE', 'ALDE', 'AT', 'BE', 'CZ', 'DE', 'FR', 'HR', 'HU', 'NL', 'PL', 'RO', 'SI', 'SK'];

type Row = Record<string, unknown>;

const window = { from: '2026-06-11T00:00:00.000Z', to: '2026-06-11T00:15:00.000Z' };
const row = (values: Row): Row => ({ id: 1, dateTimeUtc: '2026-06-11T00:00:00Z', ...values });
const envelope = (rows: Row[]) => ({ data: rows, rejected: false, messages: null });

function validated(payload: unknown, declaration: DatasetDeclaration = netPos) {
  const outcome = validateWindow(window, payload, optionsFor(declaration, '2026-06-11'));
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.result;
}

const hubKeys = keyReaderOf('hub_{HUB}');

describe('hub keys', () => {
  it('read into their hub: letters of either case, digits, underscores', () => {
    for (const hub of ['AT', 'ALBE', 'DE_DK1_VH', 'NL_NO2_NorNed', 'PL_SE4_SwePol', 'X1']) {
      expect(hubKeys.read(`hub_${hub}`)).toEqual({
        ok: true,
        series: { key: `hub_${hub}`, fromZone: hub, toZone: null },
      });
      expect(hubKey(hub)).toBe(`hub_${hub}`);
    }
    expect(keyReaderOf('hub_{HUB}').read('hub_DE_DK1_VH')).toEqual({
      ok: true,
      series: { key: 'hub_DE_DK1_VH', fromZone: 'DE_DK1_VH', toZone: null },
    });
    expect(namesInKey('hub_{HUB}', 'hub_RO_BG_VH')).toEqual(['RO_BG_VH']);
    expect(namesInKey('border_{FROM}_{TO}', 'border_AT_BE')).toEqual(['AT', 'BE']);
  });

  it('refuse a malformed or overlong key, one rule each', () => {
    for (const key of [
      'hub_',
      'hub__AT',
      'hub_A-T',
      'hub_AT ',
      'hub_Ü',
      'hub_A\u0000T',
      'HUB_AT',
      'border_AT_BE',
    ])
      expect(hubKeys.read(key), JSON.stringify(key)).toEqual({ ok: false, rule: 'key_format' });
    expect(hubKeys.read(`hub_${'A'.repeat(MAX_HUB_NAME_LENGTH)}`).ok).toBe(true);
    expect(hubKeys.read(`hub_${'A'.repeat(MAX_HUB_NAME_LENGTH + 1)}`)).toEqual({
      ok: false,
      rule: 'key_format',
    });
    expect(hubKeys.read(`hub_${'A'.repeat(MAX_KEY_LENGTH)}`)).toEqual({ ok: false, rule: 'key_too_long' });
    expect(namesInKey('hub_{HUB}', 'hub__X')).toBeNull();
  });
});

describe('the coreNetPos declaration', () => {
  it('is sound, keyed values of hub keys, signed, hourly then quarter-hourly from 2025-10-01', () => {
    expect(declarationProblems([netPos])).toEqual([]);
    expect(netPos).toMatchObject({
      region: 'core',
      endpoint: 'netPos',
      rowKind: 'keyedValues',
      keyPattern: 'hub_{HUB}',
      valueSign: 'signed',
      firstDay: '2022-06-09',
      unit: 'MW',
    });
    expect(declaredResolutionOn(netPos, '2025-09-30')).toBe(60);
    expect(declaredResolutionOn(netPos, '2025-10-01')).toBe(15);
    expect(keyedValueDatasets()).toContain('coreNetPos');
    expect(keyedValueDatasets()).toEqual(
      DECLARATIONS.filter((declaration) => declaration.rowKind === 'keyedValues').map(
        (declaration) => declaration.id,
      ),
    );
  });

  it('declares the 14 Core hubs, and the 9 AHC hubs from 2026-06-11', () => {
    expect([...netPos.zones].sort()).toEqual(CORE_HUBS);
    expect(declaredZonesOn(netPos, '2026-06-10').sort()).toEqual(CORE_HUBS);
    expect(declaredZonesOn(netPos, '2026-06-11').sort()).toEqual([...CORE_HUBS, ...AHC].sort());
    expect(allDeclaredZones(netPos)).toHaveLength(23);
  });

  it('every other dataset kept before the key grammar stays non-negative border keys', () => {
    const before = [
      'maxExchanges',
      'nordicMaxExchanges',
      'coreShadowAuctionATC',
      'coreScheduledExchanges',
      'coreAtc',
      'nordicMaxBorderFlow',
    ];
    for (const declaration of KEYED_VALUE_DECLARATIONS.filter((each) => before.includes(each.id)))
      expect([declaration.id, declaration.keyPattern, declaration.valueSign]).toEqual([
        declaration.id,
        'border_{FROM}_{TO}',
        'nonNegative',
      ]);
  });

  it('refuses a mistaken hub declaration, one line per problem', () => {
    const broken = {
      ...netPos,
      zones: ['AT', 'AT', '_X'],
      addedZones: [{ from: '2022-06-09', zones: ['hub-Y'], reason: 'x' }],
      valueSign: 'positive',
      rowKind: 'rows',
    } as unknown as DatasetDeclaration;
    expect(declarationProblems([broken]).sort()).toEqual(
      [
        'dataset coreNetPos: rowKind: Invalid option: expected one of "keyedValues"|"constraints"',
        'dataset coreNetPos: valueSign: Invalid option: expected one of "nonNegative"|"signed"',
      ].sort(),
    );
    const badNames = {
      ...netPos,
      zones: ['AT', 'AT', '_X'],
      addedZones: [{ from: '2022-06-09', zones: ['hub-Y'], reason: 'x' }],
    };
    expect(declarationProblems([badNames as DatasetDeclaration]).sort()).toEqual(
      [
        'dataset coreNetPos: zones.2: expected a hub name',
        'dataset coreNetPos: addedZones.0.zones.0: expected a hub name',
        'dataset coreNetPos: zones: a zone is listed twice',
        'dataset coreNetPos: addedZones.0.from: must be after the first day, periods in order',
      ].sort(),
    );
    // A border dataset's zones stay upper-case codes.
    const core = declarationOf('maxExchanges');
    expect(declarationProblems([{ ...core, zones: [...core.zones, 'DE_DK1_VH'] }])).toEqual([
      `dataset maxExchanges: zones.${core.zones.length}: expected a zone code`,
    ]);
  });
});

describe('netPos answers validated by the declaration', () => {
  it('the real answer of 2026-08-09T00:00Z: 23 hubs, every value accepted, negative ones included', () => {
    const text = captureText('coreNetPos');
    const real = JSON.parse(text) as { data: Row[] };
    const outcome = validateWindow(CAPTURES.coreNetPos.window, real, optionsFor(netPos, '2026-08-09'));
    if (!outcome.ok) throw new Error(outcome.reason);
    const result = outcome.result;
    expect(result.rejections).toEqual([]);
    expect(result.unknownFields).toEqual([]);
    // One row: judged on the declared quarter-hour grid, one MTU expected and received.
    expect([result.expectedMtus, result.receivedMtus, result.missingMtus]).toEqual([1, 1, []]);
    expect(result.keys).toEqual(declaredZonesOn(netPos, '2026-08-09').map(hubKey).sort());
    const published = Object.entries(real.data[0]!).filter(([field]) => field.startsWith('hub_'));
    expect(result.points).toHaveLength(published.length);
    for (const [key, value] of published) {
      expect(result.points.find((point) => point.key === key)).toEqual({
        key,
        fromZone: key.slice('hub_'.length),
        toZone: null,
        mtu: '2026-08-09T00:00:00.000Z',
        value,
      });
    }
    expect(result.points.filter((point) => point.value! < 0).length).toBeGreaterThan(5);
    expect(result.points.find((point) => point.key === 'hub_AT')?.value).toBe(-2287.8);
  });

  it('the same negative value is refused for a non-negative border dataset', () => {
    const atc = declarationOf('coreAtc');
    const result = validated(envelope([row({ border_DE_DK1: -5, border_DK1_DE: 5 })]), atc);
    expect(result.rejections.map((refused) => [refused.key, refused.rule])).toEqual([
      ['border_DE_DK1', 'value_negative'],
    ]);
    const signed = validated(envelope([row({ hub_AT: -5, hub_DE: 5 })]));
    expect(signed.rejections).toEqual([]);
  });

  it('refuses an implausible value by its size, whatever its sign', () => {
    const result = validated(envelope([row({ hub_AT: -100_000, hub_DE: 100_000, hub_FR: -99_999.9 })]));
    expect(result.rejections.map((refused) => [refused.key, refused.rule])).toEqual([
      ['hub_AT', 'value_too_large'],
      ['hub_DE', 'value_too_large'],
    ]);
  });

  it('a new hub is a new series, never an error; a border field is no key of a hub dataset', () => {
    const result = validated(
      envelope([row({ hub_AT: 1, hub_DE: -1, hub_NEW_VirtualHub2: 0.5, border_AT_BE: 3, 'hub_A-B': 1 })]),
    );
    expect(result.keys).toEqual(['hub_AT', 'hub_DE', 'hub_NEW_VirtualHub2']);
    expect(result.points.find((point) => point.key === 'hub_NEW_VirtualHub2')).toMatchObject({
      fromZone: 'NEW_VirtualHub2',
      toZone: null,
      value: 0.5,
    });
    expect(result.unknownFields).toEqual(['border_AT_BE']);
    expect(result.rejections.map((refused) => [refused.key, refused.rule])).toEqual([
      ['hub_A-B', 'key_format'],
    ]);
  });
});
