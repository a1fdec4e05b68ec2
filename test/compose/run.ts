// the compose test (`test/compose/run.ts`): provisions podman and Docker Compose, builds the stand-ins of the upstream images, then
// runs the project's docker-compose.yml through real Compose, scenario by scenario (docs/deployment.md). Prints
// each scenario's result and time; removes what it started, also after a failure. Needs root (podman here).
import { DEFAULT_DATASET } from '../../domain/datasets';
import { buildStandins, provisionEngine } from './engine';
import { engineNote, namedEngine, runningEngine } from './engineNote';
import { workerKilledMidBackfill } from './recovery';
import { requireRoom } from './resources';
import { rolloutDuringBackfill } from './rollout';
import {
  buildProjectImages,
  configValidates,
  downUpKeepsState,
  INITIAL_BACKFILL_DAYS,
  missingSecretIsRefused,
  upStoresTheDays,
} from './scenarios';
import { ComposeStack } from './stack';
import { upgradeFromPreviousRelease } from './upgrade';

type Step = (stack: ComposeStack, log: (line: string) => void) => Promise<void>;

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(0)} s`;

async function timed(name: string, step: () => Promise<void>): Promise<boolean> {
  const started = Date.now();
  try {
    await step();
    console.log(`PASS  ${name} (${seconds(started)})`);
    return true;
  } catch (error) {
    console.log(
      `FAIL  ${name} (${seconds(started)})\n      ${error instanceof Error ? error.message : String(error)}`,
    );
    return false;
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const log = (line: string) => console.log(`      ${line}`);
  let engine: Awaited<ReturnType<typeof provisionEngine>> | undefined;
  if (!(await timed('the machine has room for two stacks', async () => log(requireRoom())))) return 1;
  let ok = await timed('provision podman, Docker Compose, the Debian base image', async () => {
    engine = await provisionEngine(log);
    log(`Compose ${engine.COMPOSE_BIN} on ${engine.DOCKER_HOST}`);
  });
  ok =
    ok && (await timed('build the stand-in images', async () => log((await buildStandins(log)).join(', '))));
  if (!ok || !engine) return 1;

  const stack = await ComposeStack.create(engine, `jao-compose-test-${process.pid}`, {
    JAO_BASE_URL: 'http://simulator:8090',
    HEALTH_WINDOW_DAYS: String(INITIAL_BACKFILL_DAYS),
    // the scheduled poll at most at 00:00 and 12:00 UTC (an interval keeps to the epoch): the fetches are the
    // scenarios' own, and scenario 2 pauses the poll while it counts them
    POLL_INTERVAL: '12h',
    // the scenarios store and check Core maxExchanges' days; the other datasets would be judged missing
    JAO_DATASETS: DEFAULT_DATASET,
    // the first build's commit (scenario 4 builds a second one)
    JAO_GIT_COMMIT: 'compose-test',
    LOG_LEVEL: 'info',
  });
  const scenarios: [string, Step][] = [
    ['docker compose config validates the file', configValidates],
    ['5. a missing secret is refused before anything starts', missingSecretIsRefused],
    ['build the project images through compose', buildProjectImages],
    ['1. up with the simulator: days stored, API, Prometheus, Web UI, jao health', upStoresTheDays],
    [
      '2. down (volumes kept) and up: days and Temporal state survive, nothing fetched again',
      downUpKeepsState,
    ],
    [
      '3. the worker SIGKILLed mid-backfill: restarted, every day exact, nothing twice',
      workerKilledMidBackfill,
    ],
    [
      '4. a new worker build rolled out during a backfill (Worker Versioning): each day records its build',
      rolloutDuringBackfill,
    ],
    [
      "6. the previous release's images upgraded in place by up --build: nothing lost, the new build goes on",
      upgradeFromPreviousRelease,
    ],
  ];
  // `npm run test:compose -- 6 …`: those numbered scenarios only (with the unnumbered steps they stand on).
  const only = process.argv.slice(2);
  const chosen = scenarios.filter(([name]) => {
    const number = /^(\d+)\. /.exec(name)?.[1];
    return number === undefined || only.length === 0 || only.includes(number);
  });
  /** Steps whose failure leaves nothing for the later ones to run on. */
  const required = new Set<Step>([buildProjectImages]);
  const onSignal = () => {
    void stack.remove().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let engineLine: string | null = null;
  try {
    for (const [name, step] of chosen) {
      if (!(await timed(name, () => step(stack, log)))) {
        ok = false;
        if (required.has(step)) break;
      } else if (step === upStoresTheDays) {
        // The stack is up and migrated: whether its database is the engine the file names, or a stand-in.
        engineLine = await runningEngine(stack).then(
          (running) => engineNote(namedEngine(), running),
          (error: unknown) =>
            `NOTE: the database's engine could not be read (${error instanceof Error ? error.message : String(error)}): whether it is the one docker-compose.yml names is not known`,
        );
        if (engineLine) log(engineLine);
      }
    }
  } finally {
    if (!ok) {
      const logs = await stack.compose(['logs', '--no-color', '--tail', '30']);
      console.log(`--- the stack's last log lines ---\n${logs.stdout}${logs.stderr}`);
    }
    await timed('remove the stack (containers, networks, volumes)', () => stack.remove());
  }
  console.log(`${ok ? 'PASS' : 'FAIL'}  the compose test in ${seconds(started)}`);
  if (engineLine) console.log(engineLine);
  return ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
