// The simulator answers every declared dataset like its real capture (test/fixtures/jao/): the same request gets an
// answer of the same skeleton (envelope, field order, how numbers and instants are written, row count), and a
// simulated day is what the validator expects of the dataset, DST days included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayWindow } from '../../domain/calendar';
import {
  type Dataset,
  type DatasetDeclaration,
  dataPathOf,
  declarationOf,
  declaredResolutionOn,
  KEYED_VALUE_DECLARATIONS,
  publishedEmptyKeysOf,
} from '../../domain/datasets';
import { statusOf } from '../../domain/dayStatus';
import type { DeliveryDay } from '../../domain/types';
import { optionsFor, validateDayBody } from '../../domain/validate';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import { fetchDay } from '../../source/jaoClient';
import {
  answerSkeleton,
  CAPTURES,
  captureText,
  firstShapeDifference,
  valuesHoldForTheHour,
} from '../helpers/captures';

const NOW = new Date('2026-11-22T12:00:00Z');

type Row = Record<string, unknown>;

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ now: () => NOW });
});
afterAll(async () => {
  await sim.close();
});

async function answer(dataset: Dataset, from: string, to: string): Promise<string> {
  const path = dataPathOf(declarationOf(dataset));
  const response = await fetch(`${sim.origin}${path}?FromUtc=${from}&ToUtc=${to}`);
  expect(response.status).toBe(200);
  return response.text();
}

async function simulatedDay(dataset: Dataset, day: DeliveryDay) {
  const outcome = await fetchDay(
    { baseUrl: sim.origin, timeoutMs: 5000, path: dataPathOf(declarationOf(dataset)) },
    day,
  );
  if (outcome.kind !== 'data') throw new Error(`expected data for ${dataset} ${day}, got ${outcome.kind}`);
  const validated = validateDayBody(day, outcome.body, optionsFor(declarationOf(dataset), day));
  if (!validated.ok) throw new Error(`simulated ${dataset} ${day} failed validation: ${validated.reason}`);
  return { body: outcome.body, result: validated.result };
}

for (const declaration of KEYED_VALUE_DECLARATIONS) {
  const dataset = declaration.id;
  describe(`simulator fidelity: ${dataset}`, () => {
    // A reconstructed fixture (real values in JAO's row, test/fixtures/jao/more/) is no answer the simulator copies.
    const shapeTest = CAPTURES[dataset].kind === 'reconstructed' ? it.skip : it;
    shapeTest(
      'answers the capture’s request shape for shape: envelope, every row’s members in order, number and instant forms',
      async () => {
        const { window } = CAPTURES[dataset];
        const real = captureText(dataset);
        const simulated = await answer(dataset, window.from, window.to);
        const signed = declaration.valueSign === 'signed';
        expect(answerSkeleton(simulated, signed)).toBe(answerSkeleton(real, signed));
        expect(firstShapeDifference(real, simulated, signed)).toBeNull();
        const realRows = (JSON.parse(real) as { data: Row[] }).data;
        const fakeRows = (JSON.parse(simulated) as { data: Row[] }).data;
        expect(fakeRows.map((row) => row.dateTimeUtc)).toEqual(realRows.map((row) => row.dateTimeUtc));
        expect(valuesHoldForTheHour(simulated)).toBe(valuesHoldForTheHour(real));
      },
    );

    // Row ids: the real captures' own; a built fixture's are the simulator's by construction.
    const idTest = CAPTURES[dataset].kind === 'captured' ? it : it.skip;
    idTest(
      'numbers the captured day’s rows as the capture does, and the next day’s as it jumps',
      async () => {
        const { window } = CAPTURES[dataset];
        const capturedDay = dataset === 'coreShadowAuctionATC' ? '2025-10-02' : '2026-04-21';
        const { from, to } = dayWindow(capturedDay);
        const inDay = (row: Row) => {
          const at = Date.parse(String(row.dateTimeUtc));
          return at >= Date.parse(from) && at < Date.parse(to);
        };
        const realRows = (JSON.parse(captureText(dataset)) as { data: Row[] }).data;
        const fakeRows = (JSON.parse(await answer(dataset, window.from, window.to)) as { data: Row[] }).data;
        expect(fakeRows.filter(inDay).map((row) => row.id)).toEqual(
          realRows.filter(inDay).map((row) => row.id),
        );
        const afterDay = (rows: Row[]) =>
          rows.find((row) => Date.parse(String(row.dateTimeUtc)) >= Date.parse(to))?.id;
        expect(afterDay(fakeRows)).toBe(afterDay(realRows));
      },
    );

    const resolutionNow = declaredResolutionOn(declaration, '2026-04-20');
    const perHour = 60 / resolutionNow;
    const days: Array<[DeliveryDay, number]> = [
      ['2026-03-29', 23 * perHour],
      ['2026-04-21', 24 * perHour],
      ['2025-10-26', 25 * perHour],
    ];
    for (const [day, mtus] of days.filter(([day]) => day >= declaration.firstDay)) {
      it(`serves ${day} complete at its declared resolution: ${mtus} MTUs`, async () => {
        const { result } = await simulatedDay(dataset, day);
        // A sparse dataset (domain/datasets: sparse) has rows, and expects values, only at some MTUs.
        const served = (declaration as DatasetDeclaration).sparse ? result.expectedMtus : mtus;
        expect(served).toBeLessThanOrEqual(mtus);
        // An MTU whose values are all published null (publishedNull) is answered, with no value to receive.
        const received = (declaration as DatasetDeclaration).publishedNull ? result.receivedMtus : served;
        expect(result.missingMtus).toEqual([]);
        expect([result.resolutionMinutes, result.receivedMtus, result.expectedMtus]).toEqual([
          resolutionNow,
          received,
          served,
        ]);
        expect(result.rejections).toEqual([]);
        expect(result.unknownFields).toEqual([]);
        expect(result.publishedEmptyKeys ?? []).toEqual([...publishedEmptyKeysOf(declaration)].sort());
        expect(statusOf(result)).toBe('complete');
        const point = result.points[5]!;
        expect(point.value).toBe(sim.expectedValue(day, point.key, point.mtu, dataset));
      });
    }

    it(`publishes nothing before ${declaration.firstDay}, and the first day`, async () => {
      const before = dayWindow(addDay(declaration.firstDay, -1));
      expect(JSON.parse(await answer(dataset, before.from, before.to)).data).toEqual([]);
      const { result } = await simulatedDay(dataset, declaration.firstDay);
      expect(result.resolutionMinutes).toBe(declaredResolutionOn(declaration, declaration.firstDay));
    });
  });
}

function addDay(day: DeliveryDay, n: number): DeliveryDay {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}

describe('simulator: datasets apart', () => {
  it('revises a day of one dataset only; a re-publication moves lastModifiedOn and keeps the values', async () => {
    const day = '2026-02-10';
    const window = dayWindow(day);
    const core = await answer('maxExchanges', window.from, window.to);
    const nordic = await answer('nordicMaxExchanges', window.from, window.to);
    const modifiedBefore = (JSON.parse(nordic) as { data: Row[] }).data[0]!.lastModifiedOn;
    expect(modifiedBefore).toBe('2026-02-09T06:57:56.547');

    const response = await fetch(
      `${sim.origin}/_simulator/republish?day=${day}&dataset=nordic/maxExchanges`,
      {
        method: 'POST',
      },
    );
    expect(await response.json()).toEqual({
      day,
      dataset: 'nordicMaxExchanges',
      lastModified: NOW.toISOString(),
      version: 1,
    });
    const republished = await answer('nordicMaxExchanges', window.from, window.to);
    const withoutModified = (text: string) => text.replace(/"lastModifiedOn":"[^"]*"/g, '');
    expect(withoutModified(republished)).toBe(withoutModified(nordic));
    expect((JSON.parse(republished) as { data: Row[] }).data[0]!.lastModifiedOn).toBe('2026-11-22T12:00:00');

    expect(sim.reviseDay(day, 'nordicMaxExchanges')).toBe(1);
    expect(await answer('maxExchanges', window.from, window.to)).toBe(core);
    expect(withoutModified(await answer('nordicMaxExchanges', window.from, window.to))).not.toBe(
      withoutModified(nordic),
    );
    const unknown = await fetch(`${sim.origin}/_simulator/revise?day=${day}&dataset=baltic`, {
      method: 'POST',
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { detail: string }).detail).toContain(
      'known: maxExchanges, nordicMaxExchanges',
    );
  });

  it('serves a 15-minute dataset hourly, and an hourly one every 15 minutes, on the days asked', async () => {
    const day = '2026-02-11';
    sim.setFaults({ hourlyDays: [day], quarterHourDays: [day] });
    try {
      const nordic = await simulatedDay('nordicMaxExchanges', day);
      expect([nordic.result.resolutionMinutes, nordic.result.receivedMtus]).toEqual([60, 24]);
      const core = await simulatedDay('maxExchanges', day);
      expect([core.result.resolutionMinutes, core.result.receivedMtus]).toEqual([15, 96]);
    } finally {
      sim.setFaults({ hourlyDays: [], quarterHourDays: [] });
    }
  });

  it('logs each request with its dataset', async () => {
    const logged = sim.requests.filter((entry) => entry.dataset === 'nordicMaxExchanges');
    expect(logged.length).toBeGreaterThan(0);
  });
});
