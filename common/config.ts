import ms from 'ms';
import { z } from 'zod';
import { DEFAULT_MAX_BODY_BYTES, MAX_BODY_BYTES, MIN_BODY_BYTES } from '../domain/bodyLimit';
import { DATASETS, type Dataset, findDataset, unknownDatasetMessage } from '../domain/datasets';
import { legacyAliasConflicts } from '../domain/datasets/compat';
import { DEADLINE_FORM, DEADLINE_PATTERN } from '../domain/freshnessDeadline';
import {
  MAX_CHECK_INTERVAL_MS,
  MIN_CHECK_INTERVAL_MS,
  parseWindow,
  WINDOW_FORMAT,
} from '../domain/publicationWindow';
import { MAX_PAGES_PER_PAGED_ANSWER } from '../domain/storedAnswerLimit';
import { DATABASE_RETRY_HORIZON, type DurationBounds, JAO_REQUEST_TIMEOUT } from '../domain/timeBudget';
import { MAX_POLL_LOOKBACK_DAYS } from '../domain/workflowInputs';
import {
  grpcMetaFromEnv,
  optionalText,
  TemporalSettingsError,
  temporalConnectionShape,
  temporalProfileVariables,
  temporalSecretsOf,
  temporalSettingsOf,
} from './temporalSettings';

const DURATION_FORMS = 'expected a duration like 500ms, 30s, 10m or 1h';

/**
 * Milliseconds of a duration such as `500ms`, `30s`, `10m`, `1h` (read by `ms`, so `1.5h` or `2 hours` too), or
 * null when the text is not one: a bare number (no unit), a negative or fractional millisecond, or one too large.
 */
export function durationMs(text: string): number | null {
  if (!/^\d[\d.]*\s*[a-z]+$/i.test(text)) return null;
  const value = ms(text as ms.StringValue);
  return Number.isSafeInteger(value) ? value : null;
}

function formatDuration(ms: number): string {
  for (const [unit, factor] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms % factor === 0) return `${ms / factor}${unit}`;
  }
  return `${ms}ms`;
}

/** A duration setting with its default and bounds (inclusive), parsed to milliseconds. */
const duration = (fallback: string, minMs: number, maxMs: number) =>
  z
    .string()
    .default(fallback)
    .transform((text, context) => {
      const value = durationMs(text);
      if (value !== null) return value;
      context.issues.push({ code: 'custom', message: DURATION_FORMS, input: text });
      return z.NEVER;
    })
    .refine((value) => value >= minMs && value <= maxMs, {
      message: `expected a duration from ${formatDuration(minMs)} to ${formatDuration(maxMs)}`,
    })
    .meta({
      accepts: `a duration from ${formatDuration(minMs)} to ${formatDuration(maxMs)} (500ms, 30s, 10m, 1h)`,
    });

/** A duration setting bounded by the time budget (domain/timeBudget.ts). */
const budgetDuration = (bounds: DurationBounds) =>
  duration(formatDuration(bounds.defaultMs), bounds.minMs, bounds.maxMs);

/** A whole number in decimal digits (no sign, exponent, hex or fraction), with its default and bounds. */
const intFromEnv = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, 'expected a whole number in decimal digits')
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `expected a number from ${min} to ${max}` })
    .default(fallback)
    .meta({ accepts: `a whole number from ${min} to ${max}` });

/** An http(s) URL with a host and no credentials, query or fragment; with `originOnly`, no path either. */
function isPlainHttpUrl(text: string, { originOnly }: { originOnly: boolean }): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.host !== '' &&
    url.username === '' &&
    url.password === '' &&
    (!originOnly || url.pathname === '/') &&
    url.search === '' &&
    url.hash === ''
  );
}

/** JAO_BASE_URL: an http(s) origin, nothing after it (the client appends the dataset path). */
const origin = z
  .string()
  .default('https://publicationtool.jao.eu')
  .refine((text) => isPlainHttpUrl(text, { originOnly: true }), {
    message: 'expected an http or https origin such as https://publicationtool.jao.eu',
  })
  .transform((text) => new URL(text).origin)
  .meta({ accepts: 'an http(s) origin, no path' });

/** TEMPORAL_UI_URL: an http(s) URL without credentials, query or fragment; kept without a trailing slash. */
const webUiUrl = z
  .string()
  .default('http://127.0.0.1:8233')
  .refine((text) => isPlainHttpUrl(text, { originOnly: false }), {
    message: 'expected an http or https URL such as http://127.0.0.1:8233',
  })
  .transform((text) => new URL(text).toString().replace(/\/+$/, ''))
  .meta({ accepts: 'an http(s) URL, a path prefix allowed' });

/** JAO_MAX_REQUESTS_PER_MINUTE's upper bound: far above JAO's (~100), the most a benchmark may ask for. */
export const MAX_JAO_REQUESTS_PER_MINUTE = 6_000;

const isWindow = (text: string) => parseWindow(text) !== null;
/** A publication window's form, as `accepts` says it. */
const WINDOW_FORM = WINDOW_FORMAT.replace(/^expected /, '');

const HHMM_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
const HHMM_FORM = 'HH:MM local time';

/** The items of a comma-separated list, trimmed, empty ones left out. */
const commaList = (text: string) =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

/**
 * A setting per dataset: `dataset=value` pairs separated by commas (`nordicMaxExchanges=10:00-13:00`), a dataset
 * named by its id or region/endpoint, each at most once. Unset: none, every dataset keeps its declared value.
 */
const perDataset = (valid: (value: string) => boolean, form: string, example: string) =>
  z
    .string()
    .optional()
    .transform((text, context) => {
      const values: Partial<Record<Dataset, string>> = {};
      for (const pair of commaList(text ?? '')) {
        const [name = '', value = '', ...rest] = pair.split('=').map((part) => part.trim());
        const dataset = findDataset(name);
        const problem =
          rest.length > 0 || !value
            ? `expected dataset=value, not ${JSON.stringify(pair)}`
            : dataset === null
              ? unknownDatasetMessage(name)
              : values[dataset] !== undefined
                ? `${dataset} is named twice`
                : valid(value)
                  ? null
                  : `${dataset}: expected ${form}, not ${JSON.stringify(value)}`;
        if (problem !== null || dataset === null) {
          context.addIssue({ code: 'custom', message: problem ?? unknownDatasetMessage(name) });
          return z.NEVER;
        }
        values[dataset] = value;
      }
      return values;
    })
    .meta({ accepts: `comma-separated dataset=${form} pairs (\`<dataset>=${example}\`)` });

const nonEmpty = (fallback: string) => z.string().min(1).default(fallback);

const postgresUrl = z
  .string()
  .refine((text) => URL.canParse(text) && ['postgres:', 'postgresql:'].includes(new URL(text).protocol), {
    message: 'expected a postgres:// or postgresql:// URL',
  })
  .meta({ accepts: 'a postgres:// or postgresql:// URL' });

// Each setting's `.describe()` is its one description: docs/reference/settings.md is generated from it
// (npm run docs:reference); the helpers above add the accepted form (`accepts`).
export const configSchema = z.object({
  DATABASE_URL: postgresUrl
    .default('postgres://postgres@127.0.0.1:5432/postgres')
    .describe(
      'The pipeline database (PostgreSQL with TimescaleDB): the worker, `jao migrate` and the CLI connect here.',
    ),
  TEMPORAL_ADDRESS: nonEmpty('127.0.0.1:7233')
    .meta({ accepts: 'host:port' })
    .describe('The Temporal frontend (gRPC) the worker, the CLI and the API connect to.'),
  TEMPORAL_NAMESPACE: nonEmpty('default').describe('The Temporal namespace of every workflow.'),
  ...temporalConnectionShape,
  TEMPORAL_TASK_QUEUE: nonEmpty('jao-scraper').describe(
    'The task queue the worker polls and every workflow is started on.',
  ),
  TEMPORAL_UI_URL: webUiUrl.describe(
    'The Temporal Web UI as a browser reaches it: the status page links each day to its workflow there ' +
      '(`<url>/namespaces/<namespace>/workflows/<workflow id>`). An http(s) URL, a path prefix allowed.',
  ),
  TEMPORAL_DATABASE_URL: postgresUrl
    .optional()
    .describe(
      'PostgreSQL of the Temporal cluster that `jao cluster up` runs: its database name is the persistence ' +
        "database, `<name>_visibility` the visibility one. Unset: DATABASE_URL's server, database `temporal`.",
    ),
  JAO_BASE_URL: origin.describe(
    "JAO's Publication Tool (or the simulator): the client appends each dataset's path (`/core/api/data/maxExchanges`).",
  ),
  JAO_API_KEY: optionalText.describe('Sent to JAO with every request when set; never logged.'),
  JAO_CONTACT: z
    .union(
      [
        z.url({ protocol: /^https?$/, hostname: z.regexes.domain }),
        z.string().regex(/^mailto:[^\s@()]+@[^\s@()]+\.[^\s@()]+$/),
        z.email().transform((email) => `mailto:${email}`),
      ],
      { message: 'expected an http(s) URL, a mailto: URI or an email address' },
    )
    .refine((contact) => !/[()\s]/.test(contact), { message: 'must not contain spaces or parentheses' })
    .optional()
    .meta({ accepts: 'an http(s) URL, a mailto: URI or an email address' })
    .describe("Who runs this scraper, in every request's User-Agent."),
  JAO_MAX_REQUESTS_PER_MINUTE: intFromEnv(1, MAX_JAO_REQUESTS_PER_MINUTE, 90).describe(
    "Requests to JAO per minute, shared by every worker of the fleet (JAO's own limit is about 100).",
  ),
  JAO_FETCH_WORKERS: intFromEnv(1, 1_000, 1).describe(
    'Worker processes that serve the fetch queue. Counted only where Temporal refuses the worker the fleet-wide ' +
      'rate limit (Temporal Cloud, a cluster run by another team): each worker then fetches at most ' +
      'JAO_MAX_REQUESTS_PER_MINUTE / JAO_FETCH_WORKERS a minute (docs/operations.md, managed namespaces).',
  ),
  JAO_REQUEST_TIMEOUT: budgetDuration(JAO_REQUEST_TIMEOUT).describe(
    'Per HTTP request to JAO; a DST day may take three (domain/timeBudget.ts).',
  ),
  JAO_MAX_BODY_BYTES: intFromEnv(MIN_BODY_BYTES, MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES).describe(
    'Largest answer the client reads (bytes): the biggest plausible day (25 hours, 15-minute rows, ~150 keys, ' +
      'pretty-printed) is about 460 KB; of a paged dataset, each page (about 7 MB for 5,000 Nordic rows). A paged ' +
      `day's stored answer may hold ${MAX_PAGES_PER_PAGED_ANSWER} times this (MAX_PAGES_PER_PAGED_ANSWER). Bounded so that validating an ` +
      "answer fits the worker's heap.",
  ),
  POLL_INTERVAL: duration('10m', 10_000, 86_400_000).describe(
    "How often each dataset's poll schedule runs the day workflow for tomorrow and the last POLL_LOOKBACK_DAYS days.",
  ),
  POLL_LOOKBACK_DAYS: intFromEnv(0, MAX_POLL_LOOKBACK_DAYS, 3).describe(
    "Days before today that each poll runs again (besides today and tomorrow); bounded like pollWorkflow's input.",
  ),
  INITIAL_BACKFILL_DAYS: intFromEnv(0, 3_660, 31).describe(
    'Days through tomorrow that `jao start` backfills (mode missing) for each dataset in JAO_DATASETS; 0: none.',
  ),
  JAO_DATASETS: z
    .string()
    .default('all')
    .transform((text, context) => {
      if (text.trim() === 'all') return [...DATASETS];
      const names = commaList(text);
      const unknown = names.find((name) => findDataset(name) === null);
      if (unknown !== undefined || names.length === 0) {
        const message =
          unknown === undefined
            ? `name at least one dataset (known: ${DATASETS.join(', ')})`
            : unknownDatasetMessage(unknown);
        context.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      // Each dataset once, in the order first named.
      return [...new Set(names.flatMap((name) => findDataset(name) ?? []))];
    })
    .meta({
      accepts: `\`all\` or comma-separated dataset ids or region/endpoint names (${DATASETS.join(', ')})`,
    })
    .describe(
      'The datasets the worker keeps current (a poll and a publication window schedule each); `all`: every ' +
        'declared dataset.',
    ),
  PUBLICATION_WINDOW: z
    .string()
    .refine(isWindow, { message: WINDOW_FORMAT })
    .optional()
    .meta({ accepts: WINDOW_FORM })
    .describe(
      "The default dataset's publication window: 1.x's setting, kept beside PUBLICATION_WINDOWS, which should " +
        'not name that dataset too. Unset: its declared window.',
    ),
  PUBLICATION_WINDOWS: perDataset(isWindow, WINDOW_FORM, '10:00-13:00').describe(
    "Per dataset, the local hours (Europe/Amsterdam) of the day before delivery in which tomorrow is checked every PUBLICATION_POLL_INTERVAL until complete (written D HH:MM-HH:MM: hours of the delivery day, checking today); read and bounded like publicationWindowWorkflow's input. " +
      'A dataset not named keeps its declared window (docs/reference/data-dictionary.md).',
  ),
  PUBLICATION_POLL_INTERVAL: duration('30s', MIN_CHECK_INTERVAL_MS, MAX_CHECK_INTERVAL_MS).describe(
    'How often tomorrow is checked inside the publication window.',
  ),
  JAO_MONITORING: z
    .enum(['off', 'on'])
    .default('on')
    .describe(
      "on: the worker starts one monitoring workflow per region that reads JAO's monitoring answer and fetches the " +
        "days its steps announce; the fixed polls of the datasets it announces stand down while the region's " +
        'monitoring is healthy and take over when it is not (docs/monitoring.md).',
    ),
  MONITORING_INTERVAL: duration('30s', MIN_CHECK_INTERVAL_MS, MAX_CHECK_INTERVAL_MS).describe(
    "How often each region's monitoring workflow reads JAO's monitoring answer while a day is expected (a step " +
      'pending in its publication window), and after a failed reading (docs/monitoring.md).',
  ),
  MONITORING_QUIET_INTERVAL: duration('30s', MIN_CHECK_INTERVAL_MS, MAX_CHECK_INTERVAL_MS).describe(
    "How often it reads JAO's monitoring answer the rest of the time, when only a revision can come; never " +
      'shorter than MONITORING_INTERVAL. 5m reads about a fifth as often, a revision then found within 5 minutes ' +
      '(docs/monitoring.md).',
  ),
  MONITORING_FAILURES_BEFORE_POLLS: intFromEnv(1, 1_000, 3).describe(
    "Failed or unreadable monitoring readings in a row after which a region's fixed polls take over (docs/monitoring.md).",
  ),
  MONITORING_STALE_AFTER: duration('5m', 60_000, 86_400_000).describe(
    "Without a readable monitoring reading for this long (at least three MONITORING_QUIET_INTERVAL), a region's fixed " +
      'polls take over: the monitoring workflow stopped, say (docs/monitoring.md).',
  ),
  FRESHNESS_DEADLINE: z
    .string()
    .regex(HHMM_PATTERN, `expected ${HHMM_FORM}`)
    .optional()
    .meta({ accepts: 'HH:MM' })
    .describe(
      "The default dataset's freshness deadline: 1.x's setting, kept beside FRESHNESS_DEADLINES, which should " +
        'not name that dataset too. Unset: its declared deadline.',
    ),
  FRESHNESS_DEADLINES: perDataset((text) => DEADLINE_PATTERN.test(text), DEADLINE_FORM, '12:30').describe(
    'Per dataset, the local time (Europe/Amsterdam) by which a delivery day should be complete: HH:MM on the day ' +
      'before, or D HH:MM on the day itself (`coreIdccCMaxExchanges=D 11:00`); later, the day is late (`jao ' +
      'health`, the API, the alerts). A dataset not named keeps its declared deadline ' +
      '(docs/reference/data-dictionary.md).',
  ),
  METRICS_PORT: intFromEnv(0, 65_535, 9464).describe(
    "Port of the worker's Prometheus metrics endpoint; 0 turns the metrics off.",
  ),
  ARCHIVE_INTERVAL: duration('30m', 10_000, 86_400_000).describe(
    'How often the archive schedule ships the writes not archived yet (docs/archive.md): the default adds two runs ' +
      "an hour to the Web UI's list and stays within ARCHIVE_MAX_LAG.",
  ),
  ARCHIVE_MAX_LAG: duration('1h', 60_000, 7 * 86_400_000).describe(
    "A write not archived this long after it was made is the archive's lag (`jao health`, jao_archive_lag_seconds).",
  ),
  RAW_RETENTION_DAYS: z
    .string()
    .regex(/^\d{1,5}$/, 'expected a whole number of days (0 or more); leave it unset to keep every raw body')
    .transform(Number)
    .optional()
    .meta({ accepts: 'a whole number of days (0 or more)' })
    .describe(
      "Raw answers' bodies older than this many days (by their last fetch) leave the database once the archive " +
        'holds them, read back with the right hash (docs/archive.md "Retention"). Unset: every body stays.',
    ),
  HEALTH_WINDOW_DAYS: intFromEnv(1, 3_660, 31).describe(
    'Days before tomorrow that `jao health` checks for failed, invalid, partial or late days.',
  ),
  HEALTH_POLLER_STALE_AFTER: duration('45s', 1_000, 3_600_000).describe(
    'A task queue whose workers have not polled for this long has no worker (`jao health`). Idle workers re-poll ' +
      'every matching.longPollExpirationInterval (30 s in deploy/temporal/dynamicconfig.yaml and the dev server, ' +
      '1 minute on a server left at its default: set 75s there).',
  ),
  DATABASE_RETRY_HORIZON: budgetDuration(DATABASE_RETRY_HORIZON).describe(
    'How long after a day started its failing database work is retried before the day fails with the reason. ' +
      "Bounded so that a day ends, its failure recorded, within a scheduled poll's timeout (domain/timeBudget.ts).",
  ),
  METRICS_HOST: nonEmpty('127.0.0.1').describe(
    'Interface of the metrics endpoint; 0.0.0.0 only inside a container whose port is published on 127.0.0.1.',
  ),
  JAO_WRITER_PASSWORD: z
    .string()
    .optional()
    .describe('Password of role jao_writer, applied by `jao migrate` when set (deployment); none otherwise.'),
  JAO_READER_PASSWORD: z
    .string()
    .optional()
    .describe('Password of role jao_reader, applied by `jao migrate` when set (deployment); none otherwise.'),
  WORKFLOW_BUNDLE_PATH: z
    .string()
    .optional()
    .describe(
      'A workflow bundle built ahead of time (`npm run build`); the worker bundles at start-up otherwise.',
    ),
  TEMPORAL_DEPLOYMENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'expected letters, digits, "-" or "_"')
    .default('jao-scraper')
    .meta({ accepts: 'letters, digits, "-" or "_" (1 to 100)' })
    .describe(
      "Worker Deployment the worker's build registers under (no dots: Temporal joins name and build id with one).",
    ),
  TEMPORAL_WORKER_VERSIONING: z
    .enum(['true', 'false', '1', '0'], { message: 'expected true or false' })
    .default('false')
    .transform((flag) => flag === 'true' || flag === '1')
    .describe(
      'Route tasks by Worker Deployment version (deployment with a version rollout); off: the build id is reported only.',
    ),
  API_HOST: nonEmpty('127.0.0.1').describe(
    'Interface of `jao api`; 0.0.0.0 only inside a container whose port is published on 127.0.0.1.',
  ),
  API_PORT: intFromEnv(0, 65_535, 3000).describe('Port of `jao api`.'),
  API_DATABASE_URL: postgresUrl
    .optional()
    .describe("The API's connection, as jao_reader (read-only). Unset: DATABASE_URL with user jao_reader."),
  API_MAX_RANGE_DAYS: intFromEnv(1, 3_660, 366).describe(
    'Longest range of delivery days one values request may ask for.',
  ),
  API_RATE_LIMIT_PER_MINUTE: intFromEnv(1, 1_000_000, 600).describe(
    'Requests per minute per API key; past it the API answers 429 with Retry-After.',
  ),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error'])
    .default('info')
    .describe('Least severe log line written.'),
  LOG_FORMAT: z
    .enum(['json', 'pretty'])
    .optional()
    .describe('Unset: pretty-printed lines on a terminal, JSON lines otherwise (common/logger.ts).'),
  JAO_DATA_DIR: nonEmpty('.data').describe(
    "Where `jao start` keeps the dev server's state between runs, and the default archive (`<dir>/archive`).",
  ),
});

export type Config = z.infer<typeof configSchema>;

/** Names of every variable the configuration knows; used to check deployment files. */
export const CONFIG_VARIABLES = Object.keys(configSchema.shape) as (keyof Config)[];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the configuration from an environment; throws ConfigError with one line per problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  let profile: Record<string, string>;
  try {
    profile = temporalProfileVariables(env);
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  // An empty variable counts as unset: the profile's value, else the default.
  const picked: Record<string, unknown> = Object.fromEntries(
    CONFIG_VARIABLES.map((name) => [name, env[name] || profile[name]]),
  );
  picked.TEMPORAL_GRPC_META = grpcMetaFromEnv({ ...profile, ...env });
  const parsed = configSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const conflicts = legacyAliasConflicts(parsed.data);
  if (conflicts.length > 0) throw new ConfigError(`invalid configuration: ${conflicts.join('; ')}`);
  try {
    temporalSettingsOf(parsed.data);
  } catch (error) {
    if (error instanceof TemporalSettingsError) throw new ConfigError(error.message);
    throw error;
  }
  return parsed.data;
}

/** Every secret of the configuration, for redaction (common/redact.ts): JAO's and Temporal's. */
export function secretsOf(config: Partial<Config>): string[] {
  return [config.JAO_API_KEY, ...temporalSecretsOf(config)].filter((secret): secret is string =>
    Boolean(secret),
  );
}

/** The secrets an environment and its Temporal profile hold, unvalidated: for a command's last line of output. */
export function secretsOfEnvironment(env: NodeJS.ProcessEnv): string[] {
  let profile: Record<string, string> = {};
  try {
    profile = temporalProfileVariables(env);
  } catch {} // an unreadable profile's error never quotes the file
  return [env, profile].flatMap((source) =>
    secretsOf({
      JAO_API_KEY: source.JAO_API_KEY,
      TEMPORAL_API_KEY: source.TEMPORAL_API_KEY,
      TEMPORAL_TLS_CLIENT_KEY_DATA: source.TEMPORAL_TLS_CLIENT_KEY_DATA,
      TEMPORAL_GRPC_META: grpcMetaFromEnv(source),
    }),
  );
}
