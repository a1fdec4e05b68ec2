// Build lineage: every day records the worker build that ran it and the one that wrote its values; under Worker
// Versioning the first build becomes current by itself and a later one takes new work only once promoted.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  superviseDeploymentVersion,
  TAKEOVER_AFTER_MS,
  type VersionSupervisor,
} from '../../control/deployment';
import { ensurePollSchedule, pollScheduleIdFor } from '../../control/pollSchedule';
import type { StatusReport } from '../../domain/statusReport';
import type { WorkflowBundle } from '../../workers/workflowBundle';
import { runCli } from '../helpers/cli';
import { createPipelineHarness, type PipelineHarness, runBundle } from '../helpers/pipeline';
import { spawnJao, stopProcess } from '../helpers/processes';
import { until } from '../helpers/until';

const withBuildId = (bundle: WorkflowBundle, buildId: string): WorkflowBundle => ({
  code: bundle.code,
  info: { ...bundle.info, buildId },
});

describe('build lineage', () => {
  let h: PipelineHarness;
  const startWorkers = (bundle: WorkflowBundle, deployment?: { name: string; versioned: boolean }) =>
    h.startWorkers({ workflowBundle: bundle, deployment });

  beforeAll(async () => {
    h = await createPipelineHarness('lineage');
  });
  afterAll(async () => {
    await h?.close();
  });

  const builds = async (day: string) =>
    (
      await h.db.pool.query('SELECT last_build_id, content_build_id FROM jao.delivery_day WHERE day = $1', [
        day,
      ])
    ).rows;

  it('records the build of the last run and the build that wrote the stored values', async () => {
    const day = '2025-05-01';
    const first = await startWorkers(runBundle());
    expect((await h.runDay(day)).status).toBe('complete');
    await first.stop();
    const buildId = runBundle().info.buildId;
    expect(buildId).toMatch(/^\d+\.\d+\.\d+-[0-9a-z-]+-wf[0-9a-f]{10}$/);
    expect(await builds(day)).toEqual([{ last_build_id: buildId, content_build_id: buildId }]);

    // A later build re-checks the day: same values, so they stay attributed to the build that wrote them.
    const second = await startWorkers(withBuildId(runBundle(), 'later-build'));
    expect((await h.runDay(day)).revision).toBe(1);
    await second.stop();
    expect(await builds(day)).toEqual([{ last_build_id: 'later-build', content_build_id: buildId }]);

    const status = await runCli(['status', '--from', day, '--to', day, '--json'], { DATABASE_URL: h.db.url });
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as StatusReport;
    expect(report.days[0]).toMatchObject({ day, lastBuildId: 'later-build', contentBuildId: buildId });
  });

  it('under Worker Versioning runs new work on the current build until another is promoted or takes over', async () => {
    const deploymentName = `test-${randomBytes(4).toString('hex')}`;
    const deployment = { name: deploymentName, versioned: true };
    const supervisors: VersionSupervisor[] = [];
    const supervise = (buildId: string, takeoverAfterMs = TAKEOVER_AFTER_MS) => {
      const target = { namespace: h.temporal.namespace, deploymentName, buildId, taskQueue: h.taskQueue };
      const supervisor = superviseDeploymentVersion(h.temporal.connection, target, () => {}, {
        checkEveryMs: 300,
        takeoverAfterMs,
      });
      supervisors.push(supervisor);
      return supervisor;
    };
    const versionOf = async (day: string) => {
      const handle = h.temporal.client.workflow.getHandle(`maxExchanges/day/${day}`);
      const info = (await handle.describe()).raw.workflowExecutionInfo;
      return info?.versioningInfo?.deploymentVersion?.buildId;
    };
    const runsOn = async (day: string, buildId: string) => {
      expect((await h.runDay(day)).status).toBe('complete');
      expect(await versionOf(day)).toBe(buildId);
      expect(await builds(day)).toEqual([{ last_build_id: buildId, content_build_id: buildId }]);
    };

    try {
      // First build of a deployment: current by itself.
      await startWorkers(withBuildId(runBundle(), 'build-a'), deployment);
      expect(await supervise('build-a').firstDecision).toMatchObject({ kind: 'promote' });
      await runsOn('2025-05-02', 'build-a');

      // A second build while the first runs: registered, waiting; new work stays on the current build.
      const b = await startWorkers(withBuildId(runBundle(), 'build-b'), deployment);
      expect(await supervise('build-b').firstDecision).toMatchObject({
        kind: 'wait',
        currentBuildId: 'build-a',
      });
      await runsOn('2025-05-03', 'build-a');

      // The operator's rollout step (temporal worker deployment set-current-version …).
      // The server accepts a version as current once all its task queues registered (moments after they poll).
      await until(
        'build-b accepted as the current version',
        async () => {
          await h.temporal.connection.workflowService.setWorkerDeploymentCurrentVersion({
            namespace: h.temporal.namespace,
            deploymentName,
            buildId: 'build-b',
            identity: 'test',
          });
          return true;
        },
        { timeoutMs: 15_000, retryErrors: true },
      );
      await runsOn('2025-05-04', 'build-b');

      // The current build is stopped (docker compose up --build): the next build takes over by itself.
      await b.stop();
      await startWorkers(withBuildId(runBundle(), 'build-c'), deployment);
      await supervise('build-c', 2_000).current;
      await runsOn('2025-05-05', 'build-c');
    } finally {
      for (const supervisor of supervisors) await supervisor.stop();
    }
  });

  it('a build waiting under Worker Versioning leaves the shared schedules as the current build set them', async () => {
    const deploymentName = `test-${randomBytes(4).toString('hex')}`;
    const current = await startWorkers(withBuildId(runBundle(), 'build-current'), {
      name: deploymentName,
      versioned: true,
    });
    const supervisor = superviseDeploymentVersion(
      h.temporal.connection,
      { namespace: h.temporal.namespace, deploymentName, buildId: 'build-current', taskQueue: h.taskQueue },
      () => {},
      { checkEveryMs: 300 },
    );
    const scheduleId = pollScheduleIdFor(h.taskQueue, 'maxExchanges');
    const interval = async () => {
      const spec = (await h.temporal.client.schedule.getHandle(scheduleId).describe()).spec;
      return spec.intervals?.[0]?.every;
    };
    try {
      await supervisor.current;
      await ensurePollSchedule(h.temporal.client, {
        dataset: 'maxExchanges',
        taskQueue: h.taskQueue,
        intervalMs: 600_000,
        lookbackDays: 3,
      });
      const waiting = spawnJao(['worker'], {
        DATABASE_URL: h.db.url,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_NAMESPACE: inject('temporalNamespace'),
        TEMPORAL_TASK_QUEUE: h.taskQueue,
        TEMPORAL_WORKER_VERSIONING: 'true',
        TEMPORAL_DEPLOYMENT_NAME: deploymentName,
        POLL_INTERVAL: '1h',
        WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
        JAO_BASE_URL: h.simulator.origin,
        METRICS_PORT: '0',
      });
      try {
        await waiting.waitFor('waits, current is build-current', 60_000);
        expect(await interval()).toBe(600_000);
        expect(waiting.output()).not.toContain(`schedule ${scheduleId} updated`);
      } finally {
        await stopProcess(waiting);
      }
    } finally {
      await supervisor.stop();
      await current.stop();
      await h.temporal.client.schedule.getHandle(scheduleId).delete();
    }
  });
});
