import { z } from 'zod';
import { MAX_LOOKBACK_DAYS } from '../domain/workflowInputs';

const durationPattern = /^(\d+)(ms|s|m|h)$/;

/** Milliseconds of a duration such as `10m`, `30s`, `1h`, `500ms`. */
export function parseDuration(text: string): number {
  const [, amount, unit] = durationPattern.exec(text)!;
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
  return Number(amount) * factor;
}

/** A duration setting with its default, parsed to milliseconds, optionally within bounds. */
const duration = (fallback: string, bounds: { min?: string; max?: string } = {}) =>
  z
    .string()
    .regex(durationPattern, 'expected a duration like 500ms, 30s, 10m or 1h')
    .default(fallback)
    .transform(parseDuration)
    .refine((ms) => bounds.min === undefined || ms >= parseDuration(bounds.min), {
      message: `must be at least ${bounds.min}`,
    })
    .refine((ms) => bounds.max === undefined || ms <= parseDuration(bounds.max), {
      message: `must be at most ${bounds.max}`,
    });

const intFromEnv = (min: number, fallback: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number()
    .int()
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

export const configSchema = z.object({
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/postgres'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('jao-scraper'),
  /**
   * PostgreSQL of the Temporal cluster that `jao cluster up` runs: its database name is the persistence database,
   * `<name>_visibility` the visibility one. Default: DATABASE_URL's server, database `temporal`.
   */
  TEMPORAL_DATABASE_URL: z.string().url().optional(),
  JAO_BASE_URL: z
    .string()
    .url()
    .default('https://publicationtool.jao.eu')
    .transform((url) => url.replace(/\/+$/, '')),
  JAO_API_KEY: z
    .string()
    .optional()
    .transform((key) => (key ? key : undefined)),
  /** Who runs this scraper, in every request's User-Agent: an http(s) URL, a mailto: URI or an email address. */
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
    .optional(),
  JAO_MAX_REQUESTS_PER_MINUTE: intFromEnv(1, 90),
  JAO_REQUEST_TIMEOUT: duration('30s'),
  POLL_INTERVAL: duration('10m'),
  /** Bounded like pollWorkflow's input: a value the workflow would refuse is refused here. */
  POLL_LOOKBACK_DAYS: intFromEnv(0, 3, MAX_LOOKBACK_DAYS),
  INITIAL_BACKFILL_DAYS: intFromEnv(0, 31),
  FRESHNESS_DEADLINE: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM local time')
    .default('12:00'),
  METRICS_PORT: intFromEnv(0, 9464),
  /** Days back from tomorrow that `jao health` checks for failed, invalid, partial or late days. */
  HEALTH_WINDOW_DAYS: intFromEnv(1, 31, 3660),
  /**
   * A task queue whose workers have not polled for this long has no worker (`jao health`). Idle workers re-poll
   * every matching.longPollExpirationInterval (30 s in deploy/temporal/dynamicconfig.yaml and the dev server,
   * 1 minute on a server left at its default: set 75s there).
   */
  HEALTH_POLLER_STALE_AFTER: duration('45s', { min: '1s', max: '1h' }),
  /** How long failing database work is retried before the day fails with the reason. */
  DATABASE_RETRY_HORIZON: duration('30m', { min: '1s', max: '24h' }),
  /** Interface of the metrics endpoint; 0.0.0.0 only inside a container whose port is published on 127.0.0.1. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Applied to the roles by `jao migrate` when set (deployment); roles have no password otherwise. */
  JAO_WRITER_PASSWORD: z.string().optional(),
  JAO_READER_PASSWORD: z.string().optional(),
  /** A workflow bundle built ahead of time (`npm run build`); the worker bundles at start-up otherwise. */
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  /** Worker Deployment the worker's build registers under (no dots: Temporal joins name and build id with one). */
  TEMPORAL_DEPLOYMENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'expected letters, digits, "-" or "_"')
    .default('jao-scraper'),
  /** Route tasks by Worker Deployment version (deployment with a version rollout); off: the build id is reported only. */
  TEMPORAL_WORKER_VERSIONING: z
    .enum(['true', 'false', '1', '0'], { message: 'expected true or false' })
    .default('false')
    .transform((flag) => flag === 'true' || flag === '1'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Where `jao start` keeps the dev server's state between runs. */
  JAO_DATA_DIR: z.string().min(1).default('.data'),
});

export type Config = z.infer<typeof configSchema>;

/** Names of every variable the configuration knows; used to check deployment files. */
export const CONFIG_VARIABLES = Object.keys(configSchema.shape) as (keyof Config)[];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the configuration from an environment; throws ConfigError with one line per problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked: Record<string, string | undefined> = {};
  for (const name of CONFIG_VARIABLES) {
    const value = env[name];
    picked[name] = value === '' ? undefined : value;
  }
  const parsed = configSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  return parsed.data;
}
