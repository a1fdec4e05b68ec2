// Scenario 6 of the compose test: the previous release's images (built from the release CHANGELOG names, checked out
// beside the tree: test/upgrade/previousRelease.ts) fill a stack of their own, which `docker compose up -d --build`
// then brings to this tree's images, as docs/howto/upgrade.md "Upgrading from the previous release" says. Everything stored before
// reads the same after, the new migrations are recorded, and the new build stores more days, under Worker Versioning
// taking over from the previous release's build.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { daysInRange } from '../../domain/calendar';
import { testPool } from '../helpers/connections';
import { REPO_ROOT } from '../helpers/processes';
import { checkOutRelease, previousRelease } from '../upgrade/previousRelease';
import { snapshot, snapshotDifferences } from '../upgrade/snapshot';
import { backfill, MINUTES, pastRange } from './backfills';
import { waitFor } from './checks';
import { psql } from './database';
import { describeRoom, machineRoom } from './resources';
import { createApiKey } from './scenarios';
import { ComposeStack, SECRETS } from './stack';

/** Days the previous release stores: 20 past days; then the new build stores the 3 before them. */
const PREVIOUS_RANGE = pastRange(10, 20);
const NEW_RANGE = pastRange(30, 3);

/**
 * The Node base image of this tree's Dockerfile: the previous release is built on it too, since the one it names
 * may be a Node that has no stand-in here (1.1.0 named Node 20).
 */
function currentNodeImage(): string {
  const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'))?.[1];
  if (!image) throw new Error('the Dockerfile names no NODE_IMAGE');
  return image;
}

/** The pipeline's services built from the release's checkout instead of this tree. */
function previousImages(root: string, version: string): string {
  const build = (service: string) =>
    [
      `  ${service}:`,
      '    build:',
      `      context: ${JSON.stringify(root)}`,
      '      target: runtime',
      '      args:',
      `        JAO_GIT_COMMIT: release-${version}`,
      `        NODE_IMAGE: ${currentNodeImage()}`,
      // not tagged as this tree's release
      '      tags: !reset []',
    ].join('\n');
  return `services:\n${['migrate', 'worker', 'api'].map(build).join('\n')}\n`;
}

async function apiReady(stack: ComposeStack, what: string): Promise<void> {
  await waitFor(what, 5 * MINUTES, async () => {
    const response = await fetch(stack.url('HOST_PORT_API', '/readyz')).catch(() => null);
    return response?.ok ? true : undefined;
  });
}

/** Until the worker's log says, since `since`, that it polls its task queue. */
async function workerPolling(stack: ComposeStack, since: Date): Promise<void> {
  await waitFor('the new worker polls its task queue', 5 * MINUTES, async () => {
    const logs = await stack.compose(['logs', '--no-color', '--since', since.toISOString(), 'worker']);
    return logs.stdout.includes('worker polling task queue') ? true : undefined;
  });
}

async function jaoInWorker(stack: ComposeStack, args: string[]): Promise<string> {
  const run = await stack.compose(['exec', '-T', 'worker', 'node', 'bin/jao.js', ...args]);
  if (run.code !== 0) {
    throw new Error(
      `jao ${args.join(' ')} in the worker exited ${run.code}:\n${`${run.stdout}${run.stderr}`.trim()}`,
    );
  }
  return run.stdout;
}

export async function upgradeFromPreviousRelease(
  main: ComposeStack,
  log: (line: string) => void,
): Promise<void> {
  const release = previousRelease();
  const root = checkOutRelease(release, log);
  // The first stack is done with: stopped (its containers and volumes kept for run.ts's log), so that the two
  // stacks do not share the machine's two cores and its memory.
  await main.composeChecked(['stop', '--timeout', '10']);
  log(`the first stack stopped: this scenario runs a stack of its own (${describeRoom(machineRoom())})`);
  const stack = await ComposeStack.create(
    main.engine,
    `${main.project}-upgrade`,
    main.settingsForAnotherStack(),
  );
  try {
    stack.override = stack.writeFile('previous-release.yml', previousImages(root, release.version));
    await stack.composeChecked(['build']);
    await stack.composeChecked(['up', '--detach', '--no-build']);
    await apiReady(stack, `the API of ${release.version} answers /readyz`);
    log(`${release.version}'s images up (migrate, worker, api from ${release.commit.slice(0, 12)})`);

    const key = await createApiKey(stack, 'desk');
    await backfill(stack, PREVIOUS_RANGE, { wait: true });
    const revised = PREVIOUS_RANGE.from;
    const revise = await fetch(stack.url('HOST_PORT_SIMULATOR', `/_simulator/revise?day=${revised}`), {
      method: 'POST',
    });
    if (!revise.ok) throw new Error(`the simulator refused to revise ${revised}: HTTP ${revise.status}`);
    await jaoInWorker(stack, ['rerun', revised, '--wait']);
    log(
      `${release.version} stored ${PREVIOUS_RANGE.from}..${PREVIOUS_RANGE.to} and re-ran the revised ${revised}`,
    );
    // Every write shipped before the first snapshot: the archive schedule (every 5 minutes on the wall clock) would
    // otherwise mark them during the upgrade, and lineage's archive_object, NULL until then, would read differently.
    log((await jaoInWorker(stack, ['archive'])).trim().split('\n')[0]!);

    const pool = testPool({
      connectionString: `postgres://${SECRETS.POSTGRES_USER}:${SECRETS.POSTGRES_PASSWORD}@127.0.0.1:${stack.ports.HOST_PORT_POSTGRES}/jao`,
      max: 2,
    });
    try {
      const days = daysInRange(PREVIOUS_RANGE.from, PREVIOUS_RANGE.to);
      const asOf: [string, string] = [new Date(Date.now() - 60_000).toISOString(), new Date().toISOString()];
      const before = await snapshot(pool, days, asOf);

      // The upgrade: this tree's images, built and started by compose; migrate runs first (depends_on).
      stack.override = null;
      const started = Date.now();
      await stack.composeChecked(['up', '--detach', '--build']);
      await apiReady(stack, 'the API of this tree answers /readyz');
      const apiAfter = Math.round((Date.now() - started) / 1000);
      // compose (under podman) recreates every container, Temporal and its database too: the new worker waits for
      // Temporal before it polls, and `jao` runs in its container only once it does.
      await workerPolling(stack, new Date(started));
      log(
        `docker compose up -d --build to this tree: the API ready after ${apiAfter} s, the worker polling after ` +
          `${Math.round((Date.now() - started) / 1000)} s`,
      );

      const migrations = await psql(
        stack,
        `SELECT count(*) FROM jao.schema_migrations WHERE name = '016_release_floor'`,
      );
      if (migrations[0] !== '1') throw new Error('the new migrations are not recorded after the upgrade');
      const after = await snapshot(pool, days, asOf, before.columns);
      const differences = snapshotDifferences(before, after);
      if (differences.length > 0)
        throw new Error(`stored data changed in the upgrade: ${differences.join('; ')}`);
      log(
        `everything stored before reads the same (${Object.keys(before.hashes).length} row sets of ${days.length} days)`,
      );

      // The new build takes over once the previous one stopped polling (Worker Versioning), then stores new days.
      await backfill(stack, NEW_RANGE, { wait: true });
      const stored = await psql(
        stack,
        `SELECT count(*) FILTER (WHERE status = 'complete') || ' ' || count(DISTINCT last_build_id) FROM jao.delivery_day
          WHERE day BETWEEN '${NEW_RANGE.from}'::date AND '${NEW_RANGE.to}'::date`,
      );
      const [complete, builds] = (stored[0] ?? '0 0').split(' ');
      if (Number(complete) !== NEW_RANGE.days)
        throw new Error(`the new build stored ${complete} of ${NEW_RANGE.days} days`);
      const withoutDay = await psql(stack, 'SELECT count(*) FROM jao.observation WHERE delivery_day IS NULL');
      if (withoutDay[0] !== '0')
        throw new Error(`${withoutDay[0]} values have no delivery day after the upgrade`);
      const served = await fetch(
        stack.url('HOST_PORT_API', `/v1/days?from=${PREVIOUS_RANGE.from}&to=${PREVIOUS_RANGE.to}`),
        {
          headers: { authorization: `Bearer ${key}` },
        },
      );
      if (!served.ok)
        throw new Error(`the key made by ${release.version} got HTTP ${served.status} from the new API`);
      log(
        `the new build stored ${NEW_RANGE.from}..${NEW_RANGE.to} (${builds} build); every value has its day; ` +
          `the key made by ${release.version} reads the new API`,
      );
    } finally {
      await pool.end();
    }
  } catch (error) {
    // run.ts prints the main stack's log; this stack's own is what tells why the upgrade failed.
    const state = await stack.compose(['ps', '--all', '--format', '{{.Service}} {{.State}} {{.Status}}']);
    const logs = await stack.compose(['logs', '--no-color', '--timestamps', '--tail', '40']);
    log(`--- the upgraded stack's containers (${describeRoom(machineRoom())}) ---\n${state.stdout.trim()}`);
    log(`--- the upgraded stack's last log lines ---\n${`${logs.stdout}${logs.stderr}`.trim()}`);
    throw error;
  } finally {
    await stack.remove();
  }
}
