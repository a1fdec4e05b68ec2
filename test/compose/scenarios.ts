// The scenarios of the compose test (`test/compose/run.ts`), each against the project's own docker-compose.yml.
import { pollScheduleIdFor } from '../../control/pollSchedule';
import { initialBackfillRange, TASK_QUEUE } from '../../domain/workflowInputs';
import {
  daysFromApi,
  loadedRuleNames,
  parseComposePs,
  projectRuleNames,
  publishInSimulator,
  servicesWithHealthChecks,
  targetsNotUp,
  temporalCliArgs,
  waitFor,
} from './checks';
import { storedState } from './database';
import type { ComposeStack } from './stack';

/**
 * Scenario 1 backfills what `jao start` does for INITIAL_BACKFILL_DAYS (through tomorrow); the stack's
 * HEALTH_WINDOW_DAYS is the same, so `jao health` judges exactly those days.
 */
export const INITIAL_BACKFILL_DAYS = 3;

const MINUTES = 60_000;

const secondsSince = (since: number, until = Date.now()) => `${Math.round((until - since) / 1000)} s`;

/** A reader key of the API, made by `jao api-key create` in a one-off container of the migrate image. */
export async function createApiKey(stack: ComposeStack, name: string): Promise<string> {
  const created = await stack.composeChecked([
    'run',
    '--rm',
    '--no-deps',
    '-T',
    'migrate',
    'api-key',
    'create',
    '--name',
    name,
  ]);
  const key = created.trim().split('\n').at(-1)?.trim() ?? '';
  if (key === '') throw new Error('api-key create printed no key');
  return key;
}

/** 5: a secret missing from .env stops compose before it creates anything, with its own clear message. */
export async function missingSecretIsRefused(
  stack: ComposeStack,
  log: (line: string) => void,
): Promise<void> {
  const result = await stack.compose(['up', '--detach', '--no-build'], { omit: ['JAO_WRITER_PASSWORD'] });
  const message = `${result.stdout}${result.stderr}`;
  if (result.code === 0) throw new Error('docker compose up succeeded without JAO_WRITER_PASSWORD');
  if (!message.includes('set JAO_WRITER_PASSWORD in .env')) {
    throw new Error(`docker compose up failed without naming the missing secret:\n${message.trim()}`);
  }
  const containers = await stack.composeChecked(['ps', '--all', '--quiet']);
  if (containers.trim() !== '') throw new Error(`containers exist after the refusal:\n${containers}`);
  log(`refused: ${message.trim().split('\n').at(-1)}`);
}

/** The project's images, built through compose, one after another (the first one's layers reused by the rest). */
export async function buildProjectImages(stack: ComposeStack, log: (line: string) => void): Promise<void> {
  await stack.composeChecked(['build']);
  log('built the project images (migrate, worker, api, simulator)');
}

/** 1: up with the simulator; the days are stored and complete, and every service answers. */
export async function upStoresTheDays(stack: ComposeStack, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  await stack.composeChecked(['up', '--detach', '--no-build']);
  const upReturned = Date.now();
  const api = (path: string) => stack.url('HOST_PORT_API', path);
  await waitFor('the API answers /readyz', 5 * MINUTES, async () => {
    const response = await fetch(api('/readyz'));
    return response.ok ? true : undefined;
  });
  log(`up returned after ${secondsSince(started, upReturned)}, the API ready after ${secondsSince(started)}`);

  const key = await createApiKey(stack, 'compose-test');

  const { from, to } = initialBackfillRange(new Date(), INITIAL_BACKFILL_DAYS, 'maxExchanges');
  // Tomorrow is in the range: published now, whatever the time of day, so that every day can be complete.
  await publishInSimulator((path) => stack.url('HOST_PORT_SIMULATOR', path), to);
  const backfill = await stack.compose(
    ['exec', '-T', 'worker', 'node', 'bin/jao.js', 'backfill', '--from', from, '--to', to, '--wait'],
    { echo: false },
  );
  if (backfill.code !== 0)
    throw new Error(`jao backfill exited ${backfill.code}:\n${backfill.stderr.trim()}`);
  const days = await daysFromApi(api, key, from, to);
  const notComplete = [...days].filter(([, status]) => status !== 'complete');
  const expectedDays = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days.size !== expectedDays || notComplete.length > 0) {
    throw new Error(
      `expected ${expectedDays} complete days ${from}..${to}, the API has ${JSON.stringify([...days])}`,
    );
  }
  log(`${days.size} days ${from}..${to} stored and complete (API /v1/days with a key)`);

  const prometheus = (path: string) => stack.url('HOST_PORT_PROMETHEUS', path);
  const expected = projectRuleNames();
  const loaded = await waitFor('Prometheus loads the rules', 2 * MINUTES, async () => {
    const names = await loadedRuleNames(prometheus);
    return names.length > 0 ? names : undefined;
  });
  if (JSON.stringify(loaded) !== JSON.stringify(expected)) {
    throw new Error(`Prometheus loaded ${loaded.length} rules, the rules file has ${expected.length}`);
  }
  // a target that stays down is reported at the end, after the remaining checks have run
  const problems: string[] = [];
  try {
    await waitFor('every Prometheus target is up', 3 * MINUTES, async () => {
      const down = await targetsNotUp(prometheus);
      if (down.length > 0) throw new Error(down.join('; '));
      return true;
    });
    log(`Prometheus: ${loaded.length} rules loaded, every target up`);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
    log(`Prometheus: ${loaded.length} rules loaded; NOT every target up`);
  }

  const ui = await fetch(stack.url('HOST_PORT_TEMPORAL_UI', '/'));
  const page = await ui.text();
  if (!ui.ok || !page.includes('<html')) throw new Error(`the Web UI answered HTTP ${ui.status}`);
  log('the Temporal Web UI answers');

  const health = await stack.compose(['exec', '-T', 'worker', 'node', 'bin/jao.js', 'health']);
  if (health.code !== 0) {
    throw new Error(
      `jao health in the worker exited ${health.code}:\n${`${health.stdout}${health.stderr}`.trim()}`,
    );
  }
  log('jao health in the worker container exits 0');

  const checked = servicesWithHealthChecks();
  const healthy = await waitFor('every service with a health check is healthy', 3 * MINUTES, async () => {
    const health = parseComposePs(await stack.composeChecked(['ps', '--format', 'json']));
    const notHealthy = checked.filter((service) => health.get(service) !== 'healthy');
    if (notHealthy.length > 0)
      throw new Error(
        notHealthy.map((service) => `${service} ${health.get(service) || 'not running'}`).join(', '),
      );
    return checked;
  });
  log(`healthy by their own health checks: ${healthy.join(', ')}`);

  for (const args of [['archive'], ['archive', '--verify']]) {
    const run = await stack.compose(['exec', '-T', 'worker', 'node', 'bin/jao.js', ...args]);
    if (run.code !== 0) {
      throw new Error(
        `jao ${args.join(' ')} in the worker exited ${run.code}:\n${`${run.stdout}${run.stderr}`.trim()}`,
      );
    }
  }
  log('jao archive and jao archive --verify in the worker container exit 0 (the archive on its volume)');
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/** Pauses or unpauses the poll schedule alone (`jao schedule pause` would pause the publication schedule too). */
async function togglePoll(stack: ComposeStack, pause: boolean): Promise<void> {
  await stack.composeChecked(
    temporalCliArgs([
      'schedule',
      'toggle',
      '--schedule-id',
      pollScheduleIdFor(TASK_QUEUE, 'maxExchanges'),
      pause ? '--pause' : '--unpause',
      '--reason',
      'the compose test: scenario 2',
    ]),
  );
}

/**
 * 2: down (volumes kept), up again: the days and Temporal's state survive, and no stored day is fetched again. The
 * poll schedule is paused meanwhile: its interval keeps to the wall clock, and a poll falling inside the check would
 * fetch the last days again by design.
 */
export async function downUpKeepsState(stack: ComposeStack, log: (line: string) => void): Promise<void> {
  await togglePoll(stack, true);
  const before = await storedState(stack);
  await stack.composeChecked(['down', '--timeout', '30']);
  const started = Date.now();
  await stack.composeChecked(['up', '--detach', '--no-build']);
  const upReturned = Date.now();
  await waitFor('the API answers /readyz again', 5 * MINUTES, async () => {
    const response = await fetch(stack.url('HOST_PORT_API', '/readyz'));
    return response.ok ? true : undefined;
  });
  log(
    `up again: returned after ${secondsSince(started, upReturned)}, the API ready after ${secondsSince(started)}`,
  );
  const { from, to } = initialBackfillRange(new Date(), INITIAL_BACKFILL_DAYS, 'maxExchanges');
  const workflowId = `maxExchanges/backfill/${from}..${to}/missing`;
  const describe = await stack.compose(
    temporalCliArgs(['workflow', 'describe', '--workflow-id', workflowId]),
  );
  if (describe.code !== 0)
    throw new Error(`Temporal lost the backfill ${workflowId}:\n${describe.stderr.trim()}`);
  log(`Temporal still has ${workflowId}`);
  // the worker is up again: give a refetch the time of a few polls of its queue to show
  await new Promise((resolve) => setTimeout(resolve, 20_000));
  const after = await storedState(stack);
  if (after !== before)
    throw new Error(`the stored days or fetches changed:\nbefore ${before}\nafter  ${after}`);
  log(`days, statuses and fetches unchanged: ${after}`);
  await togglePoll(stack, false);
}

/** Docker Compose v2, the Compose spec's reference implementation, validates the file (all profiles). */
export async function configValidates(stack: ComposeStack, log: (line: string) => void): Promise<void> {
  await stack.composeChecked(['config', '--quiet']);
  const services = await stack.composeChecked(['config', '--services']);
  log(`docker compose config: valid, services ${services.trim().split('\n').join(', ')}`);
}
