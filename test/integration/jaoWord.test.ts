// Status from JAO's own word (docs/monitoring.md#status-from-jaos-own-word): for a dataset with declared steps,
// `jao status` and `/v1/freshness` say "not yet published" (a step Pending before its deadline), "late" (Pending
// after it), "missing" (Received, the day absent or incomplete in the database) and "published", from the stored
// monitoring readings; a dataset with no declared step has no word; a day with no step read is `unknown`. Its two
// stored days are fetched from the simulator and stored by the day workflow's activities, with no Temporal worker
// (test/helpers/dayActivities.ts): the workflow's complete and partial days are tested in orchestration.test.ts and
// badDays.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordMonitoringReading } from '../../db/monitoringSteps';
import { marketTomorrow } from '../../domain/calendar';
import type { MonitoringStep } from '../../domain/monitoring';
import type { StatusReport } from '../../domain/statusReport';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import { createTestKey, type InjectedTestApi, injectTestApi } from '../helpers/api';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { dayActivitiesRunner } from '../helpers/dayActivities';

const DAYS = {
  published: '2023-09-21',
  missing: '2023-09-22',
  late: '2023-09-23',
  notYet: '2023-09-24',
  unknown: '2023-09-25',
} as const;
const PAGE = 'Final Computation';

let h: { db: TestDatabase; simulator: SimulatorHandle };
let api: InjectedTestApi;
let key: string;
const now = Date.now();
const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString();
const step = (day: string, fields: Partial<MonitoringStep>): MonitoringStep => ({
  day,
  page: PAGE,
  status: 'Pending',
  deadline: iso(3_600_000),
  lastModifiedOn: null,
  followUpActionInitiated: false,
  ...fields,
});
const tomorrow = marketTomorrow(new Date(now));

beforeAll(async () => {
  h = { db: await createTestDatabase(), simulator: await startSimulator() };
  const runDay = dayActivitiesRunner(h.db.pool, h.simulator.origin);
  // The published day is stored complete; the missing one is stored partial (JAO says Received all the same).
  h.simulator.setFaults({ missingMtuDays: [DAYS.missing] });
  expect(await runDay(DAYS.published, 'maxExchanges')).toMatchObject({ status: 'complete' });
  expect(await runDay(DAYS.missing, 'maxExchanges')).toMatchObject({ status: 'partial' });
  const received = {
    status: 'Received' as const,
    deadline: iso(-86_400_000),
    lastModifiedOn: iso(-80_000_000),
  };
  await recordMonitoringReading(h.db.pool, 'core', new Date(now - 1_000), {
    outcome: 'read',
    steps: [
      step(DAYS.published, received),
      step(DAYS.missing, received),
      step(DAYS.late, { deadline: iso(-3_600_000) }),
      step(DAYS.notYet, { deadline: iso(3_600_000) }),
      // Another step of the region, which no dataset declares: not part of any word.
      step(DAYS.unknown, { page: 'Some Validation', status: 'Received' }),
      step(tomorrow, { deadline: iso(7_200_000) }),
    ],
  });
  api = await injectTestApi(h.db.url);
  key = await createTestKey(h.db.pool, ['maxExchanges', 'coreAtc']);
});
afterAll(async () => {
  await api?.close();
  await h?.simulator.close();
  await h?.db.release();
});

describe("status from JAO's own word", () => {
  it('jao status: the state per day, in --json and as lines', async () => {
    const env = { DATABASE_URL: h.db.url };
    const range = ['--from', DAYS.published, '--to', DAYS.unknown];
    const json = await runCli(['status', ...range, '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as StatusReport;
    expect(report.days.map((line) => [line.day, line.status, line.jaoWord?.state])).toEqual([
      [DAYS.published, 'complete', 'published'],
      [DAYS.missing, 'partial', 'missing'],
      [DAYS.late, 'missing', 'late'],
      [DAYS.notYet, 'missing', 'not_yet_published'],
      [DAYS.unknown, 'missing', 'unknown'],
    ]);
    expect(report.days[2]!.jaoWord).toEqual({
      state: 'late',
      steps: [{ page: PAGE, status: 'Pending', deadline: iso(-3_600_000), lastModifiedOn: null }],
      seenAt: new Date(now - 1_000).toISOString(),
    });

    const text = await runCli(['status', ...range], env);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n').filter((line) => line.includes('JAO:'));
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^  ${DAYS.missing}  JAO: missing \\(Final Computation received, the day is not stored complete\\)$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(`^  ${DAYS.late}  JAO: late \\(Final Computation due .+, still pending\\)$`),
      ),
      expect.stringMatching(
        new RegExp(`^  ${DAYS.notYet}  JAO: not yet published \\(Final Computation due .+\\)$`),
      ),
    ]);

    // A dataset with no declared step has no word.
    const atc = await runCli(['status', ...range, '--dataset', 'coreAtc', '--json'], env);
    expect(atc.code, atc.stderr).toBe(0);
    expect((JSON.parse(atc.stdout) as StatusReport).days.every((line) => line.jaoWord === null)).toBe(true);
  });

  it("/v1/freshness: tomorrow's word", async () => {
    const answer = await api.get(key, '/v1/freshness');
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({
      day: tomorrow,
      status: 'missing',
      jao_word: {
        state: 'not_yet_published',
        steps: [{ page: PAGE, status: 'Pending', deadline: iso(7_200_000), last_modified_on: null }],
        seen_at: new Date(now - 1_000).toISOString(),
      },
    });
    const atc = await api.get(key, '/v1/freshness?dataset=coreAtc');
    expect(atc.status).toBe(200);
    expect(await atc.json()).toMatchObject({ dataset: 'coreAtc', jao_word: null });
  });

  it('/v1/days/jao-word: the word per day JAO listed a declared step of, for the calendar', async () => {
    const answer = await api.get(key, `/v1/days/jao-word?from=${DAYS.published}&to=${DAYS.unknown}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const words = (await answer.json()) as { day: string; state: string; seen_at: string }[];
    expect(words.map(({ day, state }) => [day, state])).toEqual([
      [DAYS.published, 'published'],
      [DAYS.missing, 'missing'],
      [DAYS.late, 'late'],
      [DAYS.notYet, 'not_yet_published'],
    ]);
    expect(words[0]!.seen_at).toBe(new Date(now - 1_000).toISOString());
    const atc = await api.get(
      key,
      `/v1/days/jao-word?from=${DAYS.published}&to=${DAYS.unknown}&dataset=coreAtc`,
    );
    expect(await atc.json()).toEqual([]);
    const reversed = await api.get(key, `/v1/days/jao-word?from=${DAYS.unknown}&to=${DAYS.published}`);
    expect(reversed.status).toBe(400);
  });
});
