// Worker Versioning (TEMPORAL_WORKER_VERSIONING=true). A build becomes its deployment's current version by itself
// only when nothing else can serve the work: the deployment has no current version yet (first start), or no
// worker of the current build has polled for TAKEOVER_AFTER_MS (the old build was stopped, as
// `docker compose up --build` does). While the current build runs, a new build waits for an operator to ramp
// or promote it (docs/howto/roll-out-a-build.md).
import { type Connection, isGrpcServiceError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { pollAgesMs } from './fetchRateLimit';

/** Longer than a worker's long poll (about a minute), so a live current build is never taken over. */
export const TAKEOVER_AFTER_MS = 90_000;
const CHECK_EVERY_MS = 10_000;
const REGISTRATION_CHECK_MS = 250;
/** Refusals (FAILED_PRECONDITION) of a promotion before they are reported: about 5 s of registration. */
const REFUSALS_BEFORE_REPORT = 20;
const GRPC_NOT_FOUND = 5;
/** The server refuses a version until every task queue of the current version is registered for it too. */
const GRPC_FAILED_PRECONDITION = 9;

export interface DeploymentTarget {
  namespace: string;
  deploymentName: string;
  buildId: string;
  /** The workflow task queue whose pollers tell whether the current build still runs. */
  taskQueue: string;
}

export interface DeploymentFacts {
  buildId: string;
  /** This build has polled (the server registers a version only then). */
  registered: boolean;
  currentBuildId: string | null;
  /** Milliseconds since a worker of the current build last polled the workflow queue; null if none is known. */
  currentLastPollAgeMs: number | null;
}

export type Promotion =
  | { kind: 'promote'; reason: string }
  | { kind: 'current' }
  | { kind: 'wait'; currentBuildId: string | null; reason: string };

/** What a build should do about its deployment, from the facts (pure). */
export function decidePromotion(facts: DeploymentFacts, takeoverAfterMs = TAKEOVER_AFTER_MS): Promotion {
  if (facts.currentBuildId === facts.buildId) return { kind: 'current' };
  if (!facts.registered)
    return { kind: 'wait', currentBuildId: facts.currentBuildId, reason: 'not registered yet' };
  if (facts.currentBuildId === null)
    return { kind: 'promote', reason: 'the deployment has no current version' };
  if (facts.currentLastPollAgeMs === null || facts.currentLastPollAgeMs > takeoverAfterMs) {
    return {
      kind: 'promote',
      reason: `no worker of the current build ${facts.currentBuildId} polled for ${Math.round(takeoverAfterMs / 1000)} s`,
    };
  }
  return { kind: 'wait', currentBuildId: facts.currentBuildId, reason: 'the current build is running' };
}

export async function readDeploymentFacts(
  connection: Connection,
  target: DeploymentTarget,
): Promise<DeploymentFacts> {
  let info: temporal.api.deployment.v1.IWorkerDeploymentInfo | null | undefined;
  try {
    info = (
      await connection.workflowService.describeWorkerDeployment({
        namespace: target.namespace,
        deploymentName: target.deploymentName,
      })
    ).workerDeploymentInfo;
  } catch (error) {
    // The server creates the deployment when the first of its workers polls.
    if (isGrpcServiceError(error) && error.code === GRPC_NOT_FOUND) info = null;
    else throw error;
  }
  const registered = (info?.versionSummaries ?? []).some(
    (v) => v.deploymentVersion?.buildId === target.buildId,
  );
  const currentBuildId = info?.routingConfig?.currentDeploymentVersion?.buildId ?? null;
  const facts: DeploymentFacts = {
    buildId: target.buildId,
    registered,
    currentBuildId,
    currentLastPollAgeMs: null,
  };
  if (currentBuildId === null || currentBuildId === target.buildId) return facts;
  const { pollers } = await connection.workflowService.describeTaskQueue({
    namespace: target.namespace,
    taskQueue: { name: target.taskQueue },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  const ofCurrent = pollers?.filter((poller) => poller.deploymentOptions?.buildId === currentBuildId);
  const ages = pollAgesMs(ofCurrent, Date.now());
  return { ...facts, currentLastPollAgeMs: ages.length ? Math.min(...ages) : null };
}

async function promote(connection: Connection, target: DeploymentTarget): Promise<void> {
  await connection.workflowService.setWorkerDeploymentCurrentVersion({
    namespace: target.namespace,
    deploymentName: target.deploymentName,
    buildId: target.buildId,
    identity: `jao-scraper worker ${target.buildId}`,
  });
}

export interface VersionSupervisor {
  /** Resolves with the first decision once this build is registered. */
  firstDecision: Promise<Promotion>;
  /** Resolves once this build is current (promoted by itself or by an operator). */
  current: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Checks every CHECK_EVERY_MS until this build is current, promoting it when decidePromotion says so. Call it
 * once the build's workers poll. Errors of a check are logged and the next check runs.
 */
export function superviseDeploymentVersion(
  connection: Connection,
  target: DeploymentTarget,
  log: (line: string) => void,
  options: { checkEveryMs?: number; takeoverAfterMs?: number } = {},
): VersionSupervisor {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let resolveFirst: (promotion: Promotion) => void = () => {};
  const firstDecision = new Promise<Promotion>((resolve) => {
    resolveFirst = resolve;
  });
  let resolveCurrent: () => void = () => {};
  const current = new Promise<void>((resolve) => {
    resolveCurrent = resolve;
  });
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });
  let lastLine = '';
  const say = (line: string) => {
    if (line !== lastLine) log(line);
    lastLine = line;
  };

  let registered = false;
  let refusals = 0;
  const loop = (async () => {
    while (!stopped) {
      try {
        const facts = await readDeploymentFacts(connection, target);
        registered ||= facts.registered;
        const decision = decidePromotion(facts, options.takeoverAfterMs);
        if (decision.kind !== 'wait') {
          if (decision.kind === 'promote') await promote(connection, target);
          say(
            `deployment ${target.deploymentName}: build ${target.buildId} is ` +
              (decision.kind === 'promote' ? `now current (${decision.reason})` : 'current'),
          );
          resolveFirst(decision);
          resolveCurrent();
          return;
        }
        if (facts.registered) {
          say(
            `deployment ${target.deploymentName}: build ${target.buildId} waits, current is ${decision.currentBuildId}; ` +
              `promote it with: temporal worker deployment set-current-version --deployment-name ${target.deploymentName} --build-id ${target.buildId}`,
          );
          resolveFirst(decision);
        }
      } catch (error) {
        if (isGrpcServiceError(error) && error.code === GRPC_FAILED_PRECONDITION) {
          // Usually the moments before every task queue of this build registered; if it lasts, say why (e.g. the
          // current version serves a task queue this build does not poll: one deployment name per task queue).
          refusals += 1;
          const reported = refusals >= REFUSALS_BEFORE_REPORT;
          if (reported)
            say(
              `deployment ${target.deploymentName}: build ${target.buildId} cannot become current: ${error.details}`,
            );
          await pause(reported ? (options.checkEveryMs ?? CHECK_EVERY_MS) : REGISTRATION_CHECK_MS);
          continue;
        }
        say(
          `deployment ${target.deploymentName}: check failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      // Registration follows the first poll within moments: check often until then, then at the regular pace.
      await pause(registered ? (options.checkEveryMs ?? CHECK_EVERY_MS) : REGISTRATION_CHECK_MS);
    }
  })();

  return {
    firstDecision,
    current,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await loop;
    },
  };
}
