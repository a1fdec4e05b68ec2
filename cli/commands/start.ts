// `jao start`: the whole local stack in one process tree — Temporal dev server with its Web UI, the database
// and its migrations, the worker, the schedule, the initial backfill, and with --simulate the JAO simulator.
import { join } from 'node:path';
import { apiSettings } from '../../api/config';
import { type RunningApi, startApi } from '../../api/server';
import { type Config, secretsOf } from '../../common/config';
import { createLogger, type Logger } from '../../common/logger';
import { withTemporal } from '../../common/temporal';
import { pollScheduleIdFor } from '../../control/pollSchedule';
import { describeDatabase, readDatabaseIdentity } from '../../db/databaseIdentity';
import { dropAddresses, keepAddresses } from '../../devstack/addresses';
import { type DevServer, startDevServer } from '../../devstack/devServer';
import { devServerStateFor } from '../../devstack/devServerState';
import { type EmbeddedPostgres, EmbeddedPostgresError } from '../../devstack/embeddedPostgres';
import { ensureLocalDatabase, LocalDatabaseError } from '../../devstack/localDatabase';
import { initialBackfillRange, parseBackfillInput } from '../../domain/workflowInputs';
import { type SimulatorThread, startSimulatorThread } from '../../simulator/thread';
import { runWorkerProcess, StartupAborted } from '../../workers/main';
import { installRuntime } from '../../workers/runtime';
import { integerArg, parseCommandArgs } from '../args';
import { configFromEnv, withPool } from '../context';
import { UsageError } from '../errors';
import type { CliIo } from '../io';
import { COMMAND_OPTIONS } from '../options';
import { type BackfillWatch, startInitialBackfill } from './initialBackfill';
import { LOCAL_KEY_NAME, type LocalApiKey, localApiKey } from './localApiKey';

const DEV_SERVER_PORT = 7233;
const WEB_UI_PORT = 8233;

const plaintextTemporal: Partial<Config> = {
  TEMPORAL_API_KEY: undefined,
  TEMPORAL_TLS: undefined,
  TEMPORAL_TLS_CLIENT_CERT_PATH: undefined,
  TEMPORAL_TLS_CLIENT_CERT_DATA: undefined,
  TEMPORAL_TLS_CLIENT_KEY_PATH: undefined,
  TEMPORAL_TLS_CLIENT_KEY_DATA: undefined,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: undefined,
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: undefined,
  TEMPORAL_TLS_SERVER_NAME: undefined,
  TEMPORAL_GRPC_META: {},
};

/** The fetch budget against the built-in simulator where JAO_MAX_REQUESTS_PER_MINUTE is not set. */
export const SIMULATOR_REQUESTS_PER_MINUTE = 1_200;

export async function startCommand(argv: string[], io: CliIo): Promise<void> {
  const { values } = parseCommandArgs('start', argv, COMMAND_OPTIONS.start, 0);
  const config = configFromEnv(io.env);
  const portOption = (name: 'simulator-port' | 'temporal-port' | 'ui-port', fallback: number) =>
    integerArg(`start: --${name}`, values[name], 0, 65535, 'a port number') ?? fallback;
  const simulatorPort = portOption('simulator-port', 0);
  const temporalPort = portOption('temporal-port', DEV_SERVER_PORT);
  const uiPort = portOption('ui-port', WEB_UI_PORT);
  const offline = values.offline ?? false;
  if (offline && values.simulate)
    throw new UsageError(
      'start: --simulate and --offline exclude each other (--offline asks no JAO, the simulator neither)',
    );
  installRuntime(config, { handleSignals: false });
  // The stack's own lines and those it relays (dev server, worker) are log lines; only the summary of where
  // everything is (whereEverythingIs) is text for the person who started it.
  const loggerOf = (name: string): Logger =>
    createLogger(name, {
      sink: io.stdout,
      level: config.LOG_LEVEL,
      format: config.LOG_FORMAT,
      secrets: secretsOf(config),
    });
  const logger = loggerOf('start');
  const say = (line: string) => logger.info(line);
  // Ctrl-C at any moment: during start-up it ends start-up, afterwards it drains the worker; either way the
  // finally block below stops the simulator and the dev server. A second Ctrl-C exits at once (cli/process.ts).
  const stop = io.gracefulStop();
  stop.addEventListener('abort', () => say('stopping…'), { once: true });

  let server: DevServer | undefined;
  let simulator: SimulatorThread | undefined;
  const backfillWatches: BackfillWatch[] = [];
  let api: RunningApi | undefined;
  let embedded: EmbeddedPostgres | null = null;
  const stopAll = async () => {
    await Promise.all(backfillWatches.map((watch) => watch.stop()));
    await api?.close();
    await simulator?.close();
    await server?.stop();
    // Last: everything above may still have written to it.
    await embedded?.stop();
  };

  try {
    // Where DATABASE_URL is unset and nothing answers at its default, a PostgreSQL of the stack's own
    // (devstack/localDatabase.ts), under the data directory and stopped with the rest.
    const database = await ensureLocalDatabase({
      env: io.env,
      embeddedDataDir: join(config.JAO_DATA_DIR, 'postgres'),
      say,
    }).catch((error: unknown) => {
      if (error instanceof LocalDatabaseError || error instanceof EmbeddedPostgresError) {
        throw new UsageError(error.message);
      }
      throw error;
    });
    embedded = database.embedded;
    config.DATABASE_URL = database.url;
    // A Temporal named by the environment or a chosen profile is used as it is; otherwise a local dev server.
    if (!io.env.TEMPORAL_ADDRESS && !io.env.TEMPORAL_PROFILE && !stop.aborted) {
      // One state per database: workflows started against one database never resume against another.
      const identity = await withPool(config.DATABASE_URL, { max: 1 }, readDatabaseIdentity);
      const state = devServerStateFor(config.JAO_DATA_DIR, {
        key: identity.key,
        description: describeDatabase(identity),
      });
      if (state.legacyFile) {
        say(
          `${state.legacyFile} is the state of an earlier version, which did not record its database: not used, left as it is (delete it once its history is no longer needed)`,
        );
      }
      say(
        `starting the Temporal dev server (state of database ${describeDatabase(identity)} in ${state.file}, ${state.since ? `kept since ${state.since}` : 'new'})`,
      );
      server = await startDevServer({
        port: temporalPort,
        uiPort,
        dbFilename: state.file,
        namespace: config.TEMPORAL_NAMESPACE,
        log: (line) => logger.info({ component: 'temporal-dev-server' }, line),
      });
      config.TEMPORAL_ADDRESS = server.address;
      // The dev server speaks plaintext and asks for no key, whatever a default profile of the Temporal CLI says.
      Object.assign(config, plaintextTemporal);
      // The page links into this dev server's Web UI, wherever --ui-port put it.
      if (server.uiUrl && !io.env.TEMPORAL_UI_URL) config.TEMPORAL_UI_URL = server.uiUrl;
    }
    if (values.simulate && !stop.aborted) {
      // Tomorrow is visible from local midnight, so a fresh start shows every day through tomorrow complete.
      simulator = await startSimulatorThread({ port: simulatorPort, publicationTime: '00:00' }, (reason) =>
        logger.error(`the simulator stopped (${reason}): every request to it fails until the stack restarts`),
      );
      config.JAO_BASE_URL = simulator.origin;
      // JAO's budget protects JAO; the simulator on this machine needs none, and a month of every dataset is
      // about 1,500 requests (17 minutes at JAO's pace).
      if (io.env.JAO_MAX_REQUESTS_PER_MINUTE === undefined) {
        config.JAO_MAX_REQUESTS_PER_MINUTE = SIMULATOR_REQUESTS_PER_MINUTE;
        say(
          `asking the simulator up to ${SIMULATOR_REQUESTS_PER_MINUTE} requests a minute (JAO_MAX_REQUESTS_PER_MINUTE sets another)`,
        );
      }
    }

    await runWorkerProcess(config, {
      offline,
      logger: loggerOf('worker'),
      signal: stop,
      onRunning: async () => {
        if (!offline) {
          await withTemporal(config, async (temporal) => {
            for (const dataset of config.JAO_DATASETS) {
              await temporal.client.schedule
                .getHandle(pollScheduleIdFor(config.TEMPORAL_TASK_QUEUE, dataset))
                .trigger();
            }
          });
        }
        if (config.INITIAL_BACKFILL_DAYS > 0 && !offline) {
          // One backfill per dataset the worker keeps current: they share the fleet's JAO budget.
          for (const dataset of config.JAO_DATASETS) {
            const range = initialBackfillRange(new Date(), config.INITIAL_BACKFILL_DAYS, dataset);
            if (range.clamped) {
              logger.warn(
                `initial backfill of ${dataset} starts at its first published day ${range.from}: INITIAL_BACKFILL_DAYS=${config.INITIAL_BACKFILL_DAYS} reaches before it`,
              );
            }
            const initial = parseBackfillInput(
              { dataset, from: range.from, to: range.to, mode: 'missing' },
              new Date(),
            );
            if (!initial.ok) throw new UsageError(`initial backfill of ${dataset}: ${initial.message}`);
            backfillWatches.push(await startInitialBackfill(config, initial.value, say));
          }
        }
        // After the worker's start-up: the database is migrated, so the API (as jao_reader) finds its tables.
        // The status page's key for this database (cli/commands/localApiKey.ts), as DATABASE_URL's owner.
        const key = await withPool(config.DATABASE_URL, { max: 1 }, async (pool) => {
          const identity = await readDatabaseIdentity(pool);
          return localApiKey(pool, config.JAO_DATA_DIR, identity, describeDatabase(identity));
        });
        say(
          key.created
            ? `created API key ${key.keyId} "${LOCAL_KEY_NAME}" for the status page, kept in ${key.file}`
            : `the status page uses API key ${key.keyId}, kept in ${key.file}`,
        );
        api = await startApi(apiSettings(config));
        const addresses = whereEverythingIs(config, { server, simulator, api, key, offline, embedded });
        keepAddresses(config.JAO_DATA_DIR, addresses);
        const printAddresses = (headline: string) => io.err(['', headline, ...addresses, ''].join('\n'));
        printAddresses(RUNNING);
        // The block has scrolled away by the time the backfills end: once they all have, it is printed again.
        const running = backfillWatches.filter((watch) => !watch.nothingToDo);
        if (running.length > 0) {
          void Promise.all(running.map((watch) => watch.ended)).then((ended) => {
            if (ended.every(Boolean) && !stop.aborted) {
              printAddresses(`The initial backfills ended (a line each above). ${RUNNING}`);
            }
          });
        }
      },
    });
  } catch (error) {
    if (!(error instanceof StartupAborted)) throw error;
  } finally {
    dropAddresses(config.JAO_DATA_DIR);
    await stopAll();
    say('stopped');
  }
}

const RUNNING = 'jao-scraper is running. Ctrl-C stops everything it started.';

/** The addresses block (`jao urls` prints it too: devstack/addresses.ts). */
function whereEverythingIs(
  config: Config,
  stack: {
    embedded: EmbeddedPostgres | null;
    server?: DevServer;
    simulator?: SimulatorThread;
    api?: RunningApi;
    key?: LocalApiKey;
    offline: boolean;
  },
): string[] {
  const { server, simulator, api, key, offline, embedded } = stack;
  return [
    `  Temporal Web UI   ${server?.uiUrl ?? '(external server: see its own UI)'}`,
    `  Temporal          ${config.TEMPORAL_ADDRESS} (namespace ${config.TEMPORAL_NAMESPACE}, task queue ${config.TEMPORAL_TASK_QUEUE})`,
    embedded
      ? `  database          ${config.DATABASE_URL} (embedded PostgreSQL ${embedded.version}, data in ${embedded.dataDir}, stops with the stack)`
      : `  database          ${redact(config.DATABASE_URL)}`,
    offline
      ? '  JAO               not asked (--offline)'
      : `  JAO               ${config.JAO_BASE_URL}${simulator ? ' (simulator)' : ''}`,
    offline
      ? '  schedule          none (--offline)'
      : `  schedules         ${config.JAO_DATASETS.map((dataset) => pollScheduleIdFor(config.TEMPORAL_TASK_QUEUE, dataset)).join(', ')}, every ${config.POLL_INTERVAL / 1000} s`,
    config.METRICS_PORT > 0
      ? `  metrics           http://127.0.0.1:${config.METRICS_PORT}/metrics`
      : '  metrics           off',
    `  API               ${api?.url ?? '(not started)'}  (more keys: npx jao api-key create --name me)`,
    `  API docs          ${api ? `${api.url}/docs` : '-'}  (OpenAPI: ${api ? `${api.url}/openapi.json` : '-'})`,
    // The key rides in the fragment, which the browser keeps to itself; the page stores it and drops it from the address.
    `  status page       ${api ? `${api.url}/${key ? `#key=${key.token}` : ''}` : '-'}`,
    // The embedded server is not at DATABASE_URL's default: other commands need its URL.
    `  status            ${embedded ? `DATABASE_URL=${config.DATABASE_URL} ` : ''}npx jao status`,
    '  these addresses   npx jao urls',
  ];
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
