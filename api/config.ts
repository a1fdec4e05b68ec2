import type { Config } from '../common/config';
import { type TemporalSettings, temporalSettingsOf } from '../common/temporalSettings';
import type { DatasetPublicationSettings } from '../domain/datasetSource';

/** What the API needs of the configuration (common/config.ts). */
export interface ApiSettings {
  host: string;
  port: number;
  /** The read-only connection (jao_reader). */
  databaseUrl: string;
  maxRangeDays: number;
  rateLimitPerMinute: number;
  logLevel: Config['LOG_LEVEL'];
  /** Where /v1/days/running asks which day workflows run; null: nowhere (it answers 503). */
  temporal: (TemporalSettings & { taskQueue?: string }) | null;
  /** FRESHNESS_DEADLINES (and 1.x's FRESHNESS_DEADLINE): when each dataset's tomorrow is due; default declared. */
  publication?: DatasetPublicationSettings;
  /** The status page's link into the Temporal Web UI. */
  temporalUiUrl: string;
  /** The day workflows' task queue, which the page's start link into the Web UI names. */
  taskQueue: string;
}

/** API_DATABASE_URL, or DATABASE_URL as jao_reader (with JAO_READER_PASSWORD when set, unless already jao_reader's). */
export function readerDatabaseUrl(
  config: Pick<Config, 'DATABASE_URL' | 'API_DATABASE_URL' | 'JAO_READER_PASSWORD'>,
): string {
  if (config.API_DATABASE_URL) return config.API_DATABASE_URL;
  const url = new URL(config.DATABASE_URL);
  if (url.username === 'jao_reader') return config.DATABASE_URL;
  url.username = 'jao_reader';
  url.password = config.JAO_READER_PASSWORD ? encodeURIComponent(config.JAO_READER_PASSWORD) : '';
  return url.toString();
}

export function apiSettings(config: Config): ApiSettings {
  return {
    host: config.API_HOST,
    port: config.API_PORT,
    databaseUrl: readerDatabaseUrl(config),
    maxRangeDays: config.API_MAX_RANGE_DAYS,
    rateLimitPerMinute: config.API_RATE_LIMIT_PER_MINUTE,
    logLevel: config.LOG_LEVEL,
    temporal: { ...temporalSettingsOf(config), taskQueue: config.TEMPORAL_TASK_QUEUE },
    publication: {
      FRESHNESS_DEADLINE: config.FRESHNESS_DEADLINE,
      FRESHNESS_DEADLINES: config.FRESHNESS_DEADLINES,
    },
    temporalUiUrl: config.TEMPORAL_UI_URL,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
  };
}
