// Reprocessing (docs/design.md §13): days whose derived values a faulty earlier build damaged (wrong values,
// dropped keys, a wrong status) are re-derived from their stored raw answers by `jao reprocess`, with zero requests
// to JAO; the revisions name the reprocessing build and their raw answer; a second run writes nothing. In a
// namespace of the file's own: days 2023-09-04..2023-09-10.
import { CancelledFailure, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { reprocessDay } from '../../activities/reprocess';
import { writeReprocessedDay } from '../../db/writeDay';
import {
  type ReprocessResult,
  reprocessDayWorkflowId,
  reprocessWorkflowId,
} from '../../domain/reprocessInputs';
import { WRITE_TIMEOUTS } from '../../domain/timeBudget';
import type { BackfillResult } from '../../domain/workflowInputs';
import { runCli } from '../helpers/cli';
import { createTestNamespace } from '../helpers/namespace';
import { createPipelineHarness, type PipelineHarness, runBundle } from '../helpers/pipeline';
import { metricLinesOfTaskQueues } from '../helpers/runtime';
import { until } from '../helpers/until';

const WRONG_VALUES = '2023-09-04';
const DROPPED_KEYS = '2023-09-05';
const WRONG_STATUS = '2023-09-06';
const UNTOUCHED = ['2023-09-07', '2023-09-08'];
/** Fetched, then answered malformed: its values come from its earlier answer. */
const LATER_MALFORMED = '2023-09-09';
const NEVER_FETCHED = '2023-09-10';
const FROM = WRONG_VALUES;
const TO = NEVER_FETCHED;
const FETCHED = [WRONG_VALUES, DROPPED_KEYS, WRONG_STATUS, ...UNTOUCHED, LATER_MALFORMED];

let h: PipelineHarness;
let cliEnv: NodeJS.ProcessEnv;

const window = (day: string) =>
  `o.mtu >= ('${day}'::date)::timestamp AT TIME ZONE 'Europe/Amsterdam'
   AND o.mtu < ('${day}'::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'`;
const seriesOf = (border: string) => `(SELECT series_id FROM jao.series WHERE key = 'border_${border}')`;

async function values(): Promise<string[]> {
  const result = await h.db.pool.query<{ line: string }>(
    `SELECT s.key || ' ' || o.mtu::text || ' ' || o.value AS line
       FROM jao.observation o JOIN jao.series s USING (series_id)
      ORDER BY s.key, o.mtu`,
  );
  return result.rows.map((row) => row.line);
}

async function dayRecords(): Promise<Record<string, Record<string, unknown>>> {
  const result = await h.db.pool.query<Record<string, unknown> & { day: string }>(
    `SELECT day::text AS day, status, points, received_mtus, content_hash, revision_count, reason, last_error,
            last_checked_at, attempts, key_set_id, last_raw_response_id::int AS last_raw_response_id,
            last_workflow_id, last_build_id, content_build_id
       FROM jao.delivery_day ORDER BY day`,
  );
  return Object.fromEntries(result.rows.map((row) => [row.day, row]));
}

/** Everything a write could touch, as one comparable value. */
async function fingerprint() {
  const counts = await h.db.pool.query(
    `SELECT (SELECT count(*) FROM jao.observation_history)::int AS history,
            (SELECT count(*) FROM jao.derivation)::int AS derivations,
            (SELECT count(*) FROM jao.day_event)::int AS events,
            (SELECT count(*) FROM jao.rejection)::int AS rejections,
            (SELECT count(*) FROM jao.raw_response)::int AS raw`,
  );
  return { values: await values(), days: await dayRecords(), counts: counts.rows[0] };
}

const rawIdsOf = async (day: string) =>
  (
    await h.db.pool.query<{ id: number; answer: string }>(
      `SELECT raw_response_id::int AS id, answer FROM jao.raw_response WHERE day = $1 ORDER BY raw_response_id`,
      [day],
    )
  ).rows;

describe('reprocess', () => {
  let truth: string[];
  let truthDays: Record<string, Record<string, unknown>>;
  let damagedDays: Record<string, Record<string, unknown>>;
  const buildId = () => runBundle().info.buildId;
  /** The worker's counter `name`, by the value of its `label`, with the runtime's own labels left out. */
  const counterOf = async (name: string, label: string) => {
    const counts: Record<string, number> = {};
    for (const line of await metricLinesOfTaskQueues(h.taskQueue)) {
      const match = new RegExp(`^${name}\\{.*${label}="(\\w+)".*\\} (\\d+)$`).exec(line);
      if (match) counts[match[1]!] = Number(match[2]);
    }
    return counts;
  };

  beforeAll(async () => {
    const namespace = await createTestNamespace('reprocess');
    h = await createPipelineHarness('reprocess', {}, { namespace });
    // A write waits longer for its day's lock than by default (WRITE_TIMEOUTS): the cancelled reprocessing below
    // holds one until its batch heard of the cancellation, which a heartbeat brings within 12 s.
    await h.startWorkers({ writeTimeouts: { ...WRITE_TIMEOUTS, lockTimeoutMs: 60_000 } });
    cliEnv = {
      DATABASE_URL: h.db.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: h.taskQueue,
    };
    const backfill: BackfillResult = await h.temporal.client.workflow.execute('backfillWorkflow', {
      workflowId: `maxExchanges/backfill/${FROM}..${LATER_MALFORMED}/all`,
      taskQueue: h.taskQueue,
      args: [{ from: FROM, to: LATER_MALFORMED, mode: 'all', concurrency: 6 }],
    });
    expect(backfill.byStatus).toEqual({ complete: 6 });
    // The latest answer of LATER_MALFORMED is an HTML page: its stored values stay those of the first answer.
    h.simulator.setFaults({ malformedDays: [LATER_MALFORMED] });
    expect((await h.runDay(LATER_MALFORMED)).status).toBe('complete');
    h.simulator.setFaults({ malformedDays: [] });
    truth = await values();
    truthDays = await dayRecords();
    expect(truthDays[LATER_MALFORMED]!.last_error).toMatch(/^body is not JSON/);

    // What a faulty build would have stored: wrong values, two keys dropped, a wrong status.
    await h.db.pool.query(`
      UPDATE jao.observation o SET value = value + 7 WHERE ${window(WRONG_VALUES)} AND o.series_id = ${seriesOf('AT_BE')};
      UPDATE jao.delivery_day SET content_hash = 'faulty' WHERE day = '${WRONG_VALUES}';
      DELETE FROM jao.observation o
       WHERE ${window(DROPPED_KEYS)} AND o.series_id IN (${seriesOf('BE_AT')}, ${seriesOf('DE_FR')});
      UPDATE jao.delivery_day SET content_hash = 'faulty', points = points - 48 WHERE day = '${DROPPED_KEYS}';
      UPDATE jao.delivery_day SET status = 'partial', reason = 'faulty build: 1 of 24 MTUs missing'
       WHERE day = '${WRONG_STATUS}';
      UPDATE jao.observation o SET value = value - 1
       WHERE ${window(LATER_MALFORMED)} AND o.series_id = ${seriesOf('CZ_DE')};`);
    damagedDays = await dayRecords();
    h.simulator.requests.length = 0;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('--dry-run lists the days whose status or values would change, and writes nothing', async () => {
    const before = await fingerprint();
    const run = await runCli(['reprocess', '--from', FROM, '--to', TO, '--dry-run'], cliEnv);
    expect(run.stderr).not.toMatch(/failed|Error/);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      `reprocess maxExchanges ${FROM}..${TO}: dry run (nothing is written, no request goes to JAO)`,
      `  ${WRONG_VALUES} complete (status unchanged): 24 values (24 changed, 0 added, 0 vanished)`,
      `  ${DROPPED_KEYS} complete (status unchanged): 48 values (0 changed, 48 added, 0 vanished)`,
      `  ${WRONG_STATUS} partial → complete: 0 values (0 changed, 0 added, 0 vanished)`,
      `  ${LATER_MALFORMED} complete (status unchanged): 24 values (24 changed, 0 added, 0 vanished)`,
      'days with a stored raw answer: 6; would change: 4 days (96 values); unchanged: 2',
      `without a stored raw answer (reported, not fetched): 1 (${NEVER_FETCHED})`,
    ]);
    expect(await fingerprint()).toEqual(before);
    expect(h.simulator.requests).toEqual([]);
  });

  it('restores exactly the values derived from the stored answers, with no request to JAO', async () => {
    const run = await runCli(['reprocess', '--from', FROM, '--to', TO, '--wait'], cliEnv);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `reprocess maxExchanges ${FROM}..${TO} finished: 6 days (complete 6); changed 4 days, 96 values (48 changed, 48 added, 0 vanished); unchanged 2 days; no request to JAO`,
    );
    expect(run.stdout).toContain(`without a stored raw answer (reported, not fetched): 1 (${NEVER_FETCHED})`);
    expect(h.simulator.requests).toEqual([]);

    expect(await values()).toEqual(truth);
    const days = await dayRecords();
    for (const day of FETCHED) {
      const { status, points, received_mtus, content_hash, reason, key_set_id } = truthDays[day]!;
      expect(days[day], day).toMatchObject({
        status,
        points,
        received_mtus,
        content_hash,
        reason,
        key_set_id,
      });
      // Reprocessing is no check of JAO: when the day was last checked, and on which answer, stay as they were.
      expect(days[day]!.last_checked_at, day).toEqual(damagedDays[day]!.last_checked_at);
      expect(days[day]!.last_raw_response_id, day).toBe(damagedDays[day]!.last_raw_response_id);
      // A write that changed the day counts an attempt (the API's data version moves with them).
      expect(days[day]!.attempts, day).toBe(
        (damagedDays[day]!.attempts as number) + (UNTOUCHED.includes(day) ? 0 : 1),
      );
    }
    // The last check of LATER_MALFORMED met an HTML page: it still says so.
    expect(days[LATER_MALFORMED]!.last_error).toBe(truthDays[LATER_MALFORMED]!.last_error);
    expect(days[WRONG_VALUES]).toMatchObject({ revision_count: 2, content_build_id: buildId() });
    expect(days[WRONG_STATUS]).toMatchObject({ revision_count: 1, reason: null });
    for (const day of UNTOUCHED) expect(days[day]).toEqual(damagedDays[day]);
  });

  it("counts the days it re-derived, and the values it changed, in the worker's metrics", async () => {
    expect(await counterOf('jao_reprocessed_days_total', 'outcome')).toEqual({ changed: 4, unchanged: 2 });
    expect(await counterOf('jao_reprocessed_values_total', 'change')).toEqual({ changed: 48, added: 48 });
  });

  it('records each change as a revision naming the reprocessing build and its raw answer', async () => {
    const lineage = async (day: string, border: string) =>
      (
        await h.db.pool.query(
          `SELECT l.revision, l.is_current, l.kind, l.reason, l.build_id, l.raw_response_id::int AS raw_response_id,
                  l.workflow_id
             FROM jao.max_exchanges_lineage l
            WHERE l.border = $1 AND l.delivery_day = $2 AND l.mtu = (SELECT min(mtu) FROM jao.max_exchanges_lineage
                                                                     WHERE border = $1 AND delivery_day = $2)
            ORDER BY l.revision`,
          [border, day],
        )
      ).rows;
    const [first] = await rawIdsOf(WRONG_VALUES);
    const reprocessed = {
      kind: 'reprocess',
      reason: `reprocessed by build ${buildId()} from raw response ${first!.id}`,
      build_id: buildId(),
      raw_response_id: first!.id,
      // The run that re-derived it, in a batch of days.
      workflow_id: reprocessWorkflowId('maxExchanges', FROM, TO),
    };
    expect(await lineage(WRONG_VALUES, 'AT_BE')).toEqual([
      {
        revision: 1,
        is_current: false,
        kind: 'fetch',
        reason: `derived from JAO's answer (raw response ${first!.id})`,
        build_id: buildId(),
        raw_response_id: first!.id,
        workflow_id: `maxExchanges/day/${WRONG_VALUES}`,
      },
      { revision: 2, is_current: true, ...reprocessed },
    ]);
    // A dropped key comes back as its first version, derived by the reprocessing.
    const [dropped] = await rawIdsOf(DROPPED_KEYS);
    expect(await lineage(DROPPED_KEYS, 'DE_FR')).toEqual([
      {
        revision: 1,
        is_current: true,
        ...reprocessed,
        reason: `reprocessed by build ${buildId()} from raw response ${dropped!.id}`,
        raw_response_id: dropped!.id,
      },
    ]);
    // A wrong status is re-judged; the values were right and keep their first lineage.
    expect((await lineage(WRONG_STATUS, 'AT_BE')).map((row) => row.kind)).toEqual(['fetch']);
    // Re-derived from the answer that carried values, not from the later HTML page.
    const answers = await rawIdsOf(LATER_MALFORMED);
    expect(answers.map((answer) => answer.answer)).toEqual(['data', 'malformed']);
    expect((await lineage(LATER_MALFORMED, 'CZ_DE')).at(-1)).toMatchObject({
      revision: 2,
      kind: 'reprocess',
      raw_response_id: answers[0]!.id,
    });

    // The days were re-derived in batches by the run's activities: no child workflow per day.
    const dayRuns = [];
    for await (const run of h.temporal.client.workflow.list({
      query: `WorkflowType = 'reprocessDayWorkflow'`,
    })) {
      dayRuns.push(run);
    }
    expect(dayRuns).toEqual([]);
  });

  it('writes nothing when run again', async () => {
    const before = await fingerprint();
    const result: ReprocessResult = await h.temporal.client.workflow.execute('reprocessWorkflow', {
      workflowId: reprocessWorkflowId('maxExchanges', FROM, TO),
      taskQueue: h.taskQueue,
      args: [{ from: FROM, to: TO }],
    });
    expect(result).toMatchObject({
      total: 6,
      byStatus: { complete: 6 },
      changedDays: 0,
      unchangedDays: 6,
      values: { changed: 0, added: 0, vanished: 0 },
      changed: [],
      notCompleted: [],
      withoutRawAnswer: [NEVER_FETCHED],
    });
    expect(await fingerprint()).toEqual(before);
    expect(h.simulator.requests).toEqual([]);
  });

  it('reports a day its database refuses as failed, with the reason, while the rest of its batch goes on', async () => {
    await h.db.pool.query(
      `UPDATE jao.observation o SET value = value + 7 WHERE ${window(WRONG_VALUES)} AND o.series_id = ${seriesOf('AT_BE')}`,
    );
    await h.db.pool.query(`
      CREATE FUNCTION jao.test_refuse_day() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.day = DATE '${WRONG_VALUES}' THEN RAISE EXCEPTION 'refused by the test' USING ERRCODE = '22003'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_refuse_day BEFORE UPDATE ON jao.delivery_day
        FOR EACH ROW EXECUTE FUNCTION jao.test_refuse_day();`);
    let result: ReprocessResult;
    try {
      // Concurrency 1: the six days are one batch, the refused day its first.
      result = await h.temporal.client.workflow.execute('reprocessWorkflow', {
        workflowId: `${reprocessWorkflowId('maxExchanges', FROM, TO)}/refused`,
        taskQueue: h.taskQueue,
        args: [{ from: FROM, to: TO, concurrency: 1 }],
      });
    } finally {
      await h.db.pool.query(
        'DROP TRIGGER test_refuse_day ON jao.delivery_day; DROP FUNCTION jao.test_refuse_day();',
      );
    }
    expect(result).toMatchObject({ total: 6, byStatus: { complete: 5, failed: 1 }, changedDays: 0 });
    expect(result.notCompleted).toEqual([
      {
        day: WRONG_VALUES,
        status: 'failed',
        reason: expect.stringMatching(
          new RegExp(`^reprocessing ${WRONG_VALUES} failed: .*refused by the test`),
        ),
      },
    ]);
    expect(await values()).not.toEqual(truth);

    const repaired: ReprocessResult = await h.temporal.client.workflow.execute('reprocessWorkflow', {
      workflowId: `${reprocessWorkflowId('maxExchanges', FROM, TO)}/repaired`,
      taskQueue: h.taskQueue,
      args: [{ from: FROM, to: TO }],
    });
    expect(repaired).toMatchObject({ changedDays: 1, notCompleted: [] });
    expect(await values()).toEqual(truth);
    expect(h.simulator.requests).toEqual([]);
  });

  it('a cancelled reprocessing ends once its batch has stopped between two days, writing no day after', async () => {
    const later = UNTOUCHED[1]!;
    await h.db.pool.query(
      `UPDATE jao.observation o SET value = value + 7 WHERE ${window(later)} AND o.series_id = ${seriesOf('AT_BE')}`,
    );
    const damagedValues = await values();
    // The first day's write lock, held in a transaction of the test's own: the one batch waits on it until the test
    // lets it go, once the batch has been told of its cancellation.
    const holder = await h.db.pool.connect();
    let handle: WorkflowHandle;
    try {
      await holder.query('BEGIN');
      await holder.query(
        `INSERT INTO jao.day_lock AS l (dataset, day, purpose) VALUES ('maxExchanges', $1, 'write')
         ON CONFLICT (dataset, day, purpose) DO UPDATE SET locked_at = now()`,
        [FROM],
      );
      handle = await h.temporal.client.workflow.start('reprocessWorkflow', {
        workflowId: `${reprocessWorkflowId('maxExchanges', FROM, TO)}/cancelled`,
        taskQueue: h.taskQueue,
        args: [{ from: FROM, to: TO, concurrency: 1 }],
      });
      await until('the batch waiting on the held lock', async () => {
        const waiting = await h.db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return waiting.rows[0]!.n > 0 ? true : undefined;
      });
      await handle.cancel();
      // The batch learns of the cancellation from the answer to its next heartbeat (one the server recorded after
      // the cancellation was requested).
      await until('a heartbeat of the batch after its cancellation was requested', async () => {
        const events = (await handle.fetchHistory()).events ?? [];
        const requested = events.find((event) => event.activityTaskCancelRequestedEventAttributes)?.eventTime;
        const pending = (await handle.describe()).raw.pendingActivities?.[0];
        if (!requested || !pending?.lastHeartbeatTime) return undefined;
        return tsToMs(pending.lastHeartbeatTime) > tsToMs(requested) ? true : undefined;
      });
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    const ended = await handle.result().catch((error: unknown) => error);
    expect(ended).toBeInstanceOf(WorkflowFailedError);
    expect((ended as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    // The run ended after its batch stopped: the batch's activity was cancelled, and no later day was written.
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.some((event) => event.activityTaskCanceledEventAttributes)).toBe(true);
    expect(await values()).toEqual(damagedValues);

    await h.temporal.client.workflow.execute('reprocessWorkflow', {
      workflowId: `${reprocessWorkflowId('maxExchanges', FROM, TO)}/after-cancel`,
      taskQueue: h.taskQueue,
      args: [{ from: FROM, to: TO }],
    });
    expect(await values()).toEqual(truth);
    expect(h.simulator.requests).toEqual([]);
  });

  it('refuses a bad range, and a day without a stored answer is reported, never fetched', async () => {
    const cli = await runCli(['reprocess', '--from', TO, '--to', FROM], cliEnv);
    expect(cli.code).toBe(2);
    expect(cli.stderr.trim()).toBe(
      `jao reprocess: the range is reversed: from ${TO} is after to ${FROM} (help: jao reprocess --help)`,
    );

    const reversed = await h.temporal.client.workflow
      .execute('reprocessWorkflow', {
        workflowId: `reversed-${FROM}`,
        taskQueue: h.taskQueue,
        args: [{ from: TO, to: FROM }],
      })
      .catch((error: unknown) => error);
    expect(reversed).toBeInstanceOf(WorkflowFailedError);
    expect((reversed as WorkflowFailedError).cause?.message).toBe(
      `invalid reprocess input: the range is reversed: from ${TO} is after to ${FROM}`,
    );

    const lone = await h.temporal.client.workflow
      .execute('reprocessDayWorkflow', {
        workflowId: reprocessDayWorkflowId('maxExchanges', NEVER_FETCHED),
        taskQueue: h.taskQueue,
        args: [{ day: NEVER_FETCHED }],
      })
      .catch((error: unknown) => error);
    expect((lone as WorkflowFailedError).cause?.message).toBe(
      `reprocessing ${NEVER_FETCHED} failed: ${NEVER_FETCHED} has no stored raw answer: nothing to reprocess (fetch it with jao rerun ${NEVER_FETCHED})`,
    );
    const misnamed = await h.temporal.client.workflow
      .execute('reprocessDayWorkflow', {
        workflowId: `maxExchanges/day/${WRONG_STATUS}-again`,
        taskQueue: h.taskQueue,
        args: [{ day: WRONG_STATUS }],
      })
      .catch((error: unknown) => error);
    expect((misnamed as WorkflowFailedError).cause?.message).toBe(
      `invalid input: workflow id "maxExchanges/day/${WRONG_STATUS}-again" does not name the day: start it as "${reprocessDayWorkflowId('maxExchanges', WRONG_STATUS)}"`,
    );
    expect(h.simulator.requests).toEqual([]);
  });

  it('takes turns with a fetch of the same day: the newest answer wins, whatever the order', async () => {
    const day = UNTOUCHED[0]!;
    const mtu = '2023-09-07T10:00:00.000Z';
    const current = async () =>
      (
        await h.db.pool.query<{ value_mw: number }>(
          `SELECT value_mw FROM jao.max_exchanges WHERE border = 'AT_BE' AND mtu = $1`,
          [mtu],
        )
      ).rows[0]!.value_mw;
    for (let round = 0; round < 3; round += 1) {
      h.simulator.reviseDay(day);
      await Promise.all([
        reprocessDay(
          { pool: h.db.pool, buildId: 'beside-a-fetch' },
          { dataset: 'maxExchanges', day, workflowId: 'test', dryRun: false },
        ),
        h.runDay(day),
      ]);
      expect(await current()).toBe(h.simulator.expectedValue(day, 'border_AT_BE', mtu));
    }
    // A reprocessing that chose its answer before a newer one was stored does not write the older one over it.
    const answers = await rawIdsOf(day);
    const chosenBefore = answers.at(-2)!.id;
    expect(
      await writeReprocessedDay(
        h.db.pool,
        {
          dataset: 'maxExchanges',
          day,
          status: 'not_published',
          validated: null,
          expectedMtus: 24,
          rawResponseId: chosenBefore,
          workflowId: 'test',
        },
        chosenBefore,
      ),
    ).toEqual({ newerAnswerId: answers.at(-1)!.id });
  });
});
