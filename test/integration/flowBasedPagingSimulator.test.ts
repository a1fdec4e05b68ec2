// The presolved final domain read page by page over HTTP (domain/flowBased/paging.ts) from the simulator: a day read
// whole and judged complete, or published in part and judged partial. The pipeline's own reading, read again when
// the count moves, is test/integration/flowBasedPipeline.test.ts's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayWindow } from '../../domain/calendar';
import { parseDomainPage } from '../../domain/flowBased/answer';
import { CORE_PTDF_HUBS } from '../../domain/flowBased/fields';
import { type PageRequest, pagesFor } from '../../domain/flowBased/paging';
import { judgeDomainDay, validateDomainDay } from '../../domain/flowBased/validateDomain';
import type { DeliveryDay } from '../../domain/types';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';

const NOW = new Date('2026-11-22T12:00:00Z');
const TAKE = 1000;

let sim: SimulatorHandle;

beforeAll(async () => {
  sim = await startSimulator({ now: () => NOW });
});
afterAll(async () => {
  await sim?.close();
});

/** The page `request` of the day's presolved final domain, as JAO's client asks for it. */
function pageOf(day: DeliveryDay) {
  const window = dayWindow(day);
  return async (request: PageRequest) => {
    const query = new URLSearchParams({
      FromUtc: window.from,
      ToUtc: window.to,
      Skip: String(request.skip),
      Take: String(request.take),
      Filter: JSON.stringify({ Presolved: true }),
    });
    const response = await fetch(`${sim.origin}/core/api/data/finalComputation?${query}`);
    return parseDomainPage(await response.json());
  };
}

async function readDay(day: DeliveryDay) {
  const read = async (request: PageRequest) => {
    const answer = await pageOf(day)(request);
    if (!answer.ok) throw new Error(answer.reason);
    return answer.page;
  };
  const total = (await read({ skip: 0, take: 0 })).totalRowsWithFilter;
  const pages = await Promise.all(pagesFor(total, TAKE).map(read));
  const answer = { total, pages, requests: 1 + pages.length };
  const rows = answer.pages.flatMap((page) => page.rows);
  const refused = answer.pages.flatMap((page) => page.refused);
  const validated = validateDomainDay({
    day,
    rows,
    refused,
    announcedRows: answer.total,
    knownHubs: new Set(CORE_PTDF_HUBS),
  });
  return { answer, validated, verdict: judgeDomainDay(validated) };
}

describe('the presolved final domain read page by page from the simulator', () => {
  it('reads a day whole in a probe and its pages, and judges it complete', async () => {
    const { answer, validated, verdict } = await readDay('2026-11-10');
    expect(verdict).toEqual({ status: 'complete', reason: null });
    expect(answer.requests).toBe(1 + Math.ceil(answer.total / TAKE));
    expect(validated.accepted).toHaveLength(answer.total);
  });

  it('judges a day published in part partial, naming the hours without constraints', async () => {
    const day = '2026-11-12';
    const response = await fetch(
      `${sim.origin}/_simulator/flowbased/partial?day=${day}&endpoint=finalComputation&hours=20`,
      { method: 'POST' },
    );
    expect(response.status).toBe(200);
    const { verdict } = await readDay(day);
    expect(verdict.status).toBe('partial');
    expect(verdict.reason).toMatch(/^4 of 24 MTUs without a presolved constraint \(2026-11-12T19:00:00Z, /);
  });
});
