// Scenario 4 of the compose test: a second build of the worker image is rolled out with Worker Versioning while a
// backfill runs, by the steps of docs/deployment.md ("Rolling out a new build"): build the new image, start it next
// to the old worker (it registers and waits), make it current with the Temporal CLI, then replace the old worker.
// In-flight days finish, the days after the switch run on the new build, and each day records the build that
// wrote it.
import { Connection } from '@temporalio/client';
import { z } from 'zod';
import { readDeploymentFacts } from '../../control/deployment';
import { backfill, MINUTES, pastRange, waitUntilMidway } from './backfills';
import { setSimulatorLatency, temporalCliArgs, waitFor } from './checks';
import { removeContainer } from './containers';
import { completeDayList, completeDays, dayBuilds, inexactDays } from './database';
import type { ComposeStack } from './stack';

/** The new build differs from the first by its commit, which is part of the build id. */
const NEXT_COMMIT = 'compose-test-next';
/** Slow answers while the new build starts, so the backfill is still running when it takes over. */
const LATENCY_MS = 5_000;
/** docker-compose.yml's TEMPORAL_DEPLOYMENT_NAME and the worker's task queue, both by default. */
const DEPLOYMENT_NAME = 'jao-scraper';
const TASK_QUEUE = 'jao-scraper';
const buildInfo = z.object({ buildId: z.string().min(1) });

async function imageBuildId(stack: ComposeStack, args: string[]): Promise<string> {
  const out = await stack.composeChecked(args);
  return buildInfo.parse(JSON.parse(out)).buildId;
}

/** `temporal …` of the admin tools image, against the stack's server (what an operator runs). */
function temporalCli(stack: ComposeStack, args: string[]): Promise<string> {
  return stack.composeChecked(temporalCliArgs(args));
}

export async function rolloutDuringBackfill(stack: ComposeStack, log: (line: string) => void): Promise<void> {
  const oldBuild = await imageBuildId(stack, ['exec', '-T', 'worker', 'cat', '/app/dist/build-info.json']);
  // 1. the new image; the running worker keeps the image it started from
  await stack.composeChecked(['build', 'worker'], { settings: { JAO_GIT_COMMIT: NEXT_COMMIT } });
  const newBuild = await imageBuildId(stack, [
    'run',
    '--rm',
    '--no-deps',
    '-T',
    '--entrypoint',
    'cat',
    'worker',
    '/app/dist/build-info.json',
  ]);
  if (newBuild === oldBuild) throw new Error(`the second image has the same build id ${oldBuild}`);
  log(`old build ${oldBuild}, new build ${newBuild}`);

  const range = pastRange(70, 16);
  const simulator = (path: string) => stack.url('HOST_PORT_SIMULATOR', path);
  const connection = await Connection.connect({ address: `127.0.0.1:${stack.ports.HOST_PORT_TEMPORAL}` });
  const nextWorker = `${stack.project}-worker-next`;
  // Complete before the switch was asked for, and once it was made: a day completing in between (the one in flight)
  // may have been written by either build, since its store steps are activity tasks of the current version.
  let completeBeforeSwitch = new Set<string>();
  let completeAtSwitch = new Set<string>();
  await setSimulatorLatency(simulator, LATENCY_MS);
  try {
    // one day at a time: at most one day is in flight when the new build takes over
    await backfill(stack, range, { wait: false, concurrency: 1 });
    await waitUntilMidway(stack, range);

    // 2. the new build next to the old one: it registers as a version of the deployment and waits
    await stack.composeChecked(['run', '--detach', '--no-deps', '--name', nextWorker, 'worker']);
    const target = {
      namespace: 'default',
      deploymentName: DEPLOYMENT_NAME,
      buildId: newBuild,
      taskQueue: TASK_QUEUE,
    };
    const facts = await waitFor(
      'the new build registers',
      3 * MINUTES,
      async () => {
        const read = await readDeploymentFacts(connection, target);
        return read.registered ? read : undefined;
      },
      1_000,
    );
    if (facts.currentBuildId !== oldBuild) {
      throw new Error(
        `while the old build runs, the current version is ${facts.currentBuildId}, not ${oldBuild}`,
      );
    }
    const midway = await completeDays(stack, range.from, range.to);
    if (midway >= range.days) throw new Error('the backfill ended before the new build registered');
    log(`the new build registered and waits (${midway} of ${range.days} days complete)`);

    // 3. make it current: new workflows, and the running ones at their next task (AUTO_UPGRADE), go to it
    completeBeforeSwitch = new Set(await completeDayList(stack, range.from, range.to));
    await temporalCli(stack, [
      'worker',
      'deployment',
      'set-current-version',
      '--deployment-name',
      DEPLOYMENT_NAME,
      '--build-id',
      newBuild,
      '--yes',
    ]);
    completeAtSwitch = new Set(await completeDayList(stack, range.from, range.to));
    if (completeAtSwitch.size >= range.days) throw new Error('the backfill ended before the switch');
    log(`set-current-version ${newBuild} with ${completeAtSwitch.size} of ${range.days} days complete`);
  } finally {
    await setSimulatorLatency(simulator, 0);
    await connection.close();
  }

  await backfill(stack, range, { wait: true });
  const described = await temporalCli(stack, [
    'worker',
    'deployment',
    'describe',
    '--name',
    DEPLOYMENT_NAME,
    '--output',
    'json',
  ]);
  if (!described.includes(newBuild))
    throw new Error(`the deployment does not know ${newBuild}:\n${described}`);

  // 4. replace the old worker: the service's container is recreated from the new image; the one-off goes
  await stack.composeChecked(['up', '--detach', '--no-build', '--no-deps', 'worker']);
  await removeContainer(stack.engine, nextWorker, 30);
  const serviceBuild = await imageBuildId(stack, [
    'exec',
    '-T',
    'worker',
    'cat',
    '/app/dist/build-info.json',
  ]);
  if (serviceBuild !== newBuild) throw new Error(`the worker service runs ${serviceBuild}, not ${newBuild}`);
  log('the worker service runs the new build; the one-off container is gone');

  const inexact = await inexactDays(stack, range.from, range.to);
  if (inexact.length > 0) throw new Error(`days not exact after the rollout:\n${inexact.join('\n')}`);
  const builds = await dayBuilds(stack, range.from, range.to);
  const wrong = builds.filter(
    (day) => ![oldBuild, newBuild].includes(day.lastBuildId) || day.contentBuildId !== day.lastBuildId,
  );
  if (wrong.length > 0) throw new Error(`days with unexpected builds: ${JSON.stringify(wrong)}`);
  const switchedBack = builds.filter(
    (day) => completeBeforeSwitch.has(day.day) && day.lastBuildId !== oldBuild,
  );
  if (switchedBack.length > 0)
    throw new Error(`days done before the switch rewritten: ${JSON.stringify(switchedBack)}`);
  const afterSwitch = builds.filter((day) => !completeBeforeSwitch.has(day.day));
  const finishedOnOld = afterSwitch.filter((day) => day.lastBuildId === oldBuild);
  // concurrency 1: only the days in flight while the switch was made may finish on the old build (the one running
  // when it was asked for, and one more where the old build started a day before the switch took effect)
  const inFlight = afterSwitch.filter((day) => completeAtSwitch.has(day.day)).length;
  if (finishedOnOld.length > Math.max(1, inFlight) || afterSwitch.length - finishedOnOld.length < 1) {
    throw new Error(
      `after the switch ${finishedOnOld.length} days ran on the old build and ${afterSwitch.length - finishedOnOld.length} on the new: ${JSON.stringify(afterSwitch)}`,
    );
  }
  log(
    `${range.days} days exact: ${completeBeforeSwitch.size + finishedOnOld.length} written by the old build ` +
      `(${finishedOnOld.length} of them in flight at the switch), ${afterSwitch.length - finishedOnOld.length} by the new`,
  );
}
