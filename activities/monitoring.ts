// One reading of JAO's monitoring answer for a region (docs/monitoring.md): one request, read with zod, stored with
// its versions (db/monitoringSteps.ts). Runs on the fetch queue, inside JAO's request budget. Never throws for what
// JAO answered: a failed or unreadable answer is an outcome, recorded, and the workflow's fallback decides.
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { type MonitoringReading, recordMonitoringReading } from '../db/monitoringSteps';
import { type Dataset, type DatasetDeclaration, DECLARATIONS, type Region } from '../domain/datasets';
import {
  MONITORING_OFF,
  type MonitoringStep,
  monitoringPathOf,
  monitoringWindow,
} from '../domain/monitoring';
import { readMonitoringAnswer } from '../domain/monitoringAnswer';
import { type MonitoringPace, monitoringPaceOf } from '../domain/monitoringPace';
import { fetchWindow, type JaoClientOptions } from '../source/jaoClient';

export interface MonitoringDeps {
  pool: pg.Pool;
  jao: JaoClientOptions;
  /** The clock a reading is taken by: its window, its recorded time, its pace (tests give the simulator's). */
  now?: () => Date;
  /** POLL_LOOKBACK_DAYS: the days before today each reading covers (domain/monitoring.ts monitoringWindow). */
  lookbackDays?: number;
  /**
   * The datasets kept (JAO_DATASETS), each with its publication window (PUBLICATION_WINDOWS, else its declared one):
   * a reading expects only their days. Absent: every dataset of the region, in its declared window.
   */
  keptWindows?: Partial<Record<Dataset, string>>;
}

export interface ReadMonitoringInput {
  region: Region;
}

/** What the workflow is told: the steps and how soon to read again when read, else why not. */
export type MonitoringReadResult =
  | { outcome: 'read'; steps: MonitoringStep[]; pace: MonitoringPace }
  | { outcome: 'failed' | 'unreadable'; detail: string };

export function createMonitoringActivities({
  pool,
  jao,
  now = () => new Date(),
  lookbackDays = MONITORING_OFF.lookbackDays,
  keptWindows,
}: MonitoringDeps) {
  const windowOf = (declaration: DatasetDeclaration) =>
    keptWindows?.[declaration.id as Dataset] ?? declaration.publication.window;
  return {
    async readJaoMonitoring({ region }: ReadMonitoringInput): Promise<MonitoringReadResult> {
      const readAt = now();
      const outcome = await fetchWindow(
        { ...jao, path: monitoringPathOf(region) },
        monitoringWindow(readAt, lookbackDays),
      );
      let reading: MonitoringReading;
      if (outcome.kind === 'data' || outcome.kind === 'not_published') {
        let body: unknown;
        try {
          body = JSON.parse(outcome.body);
        } catch {
          body = undefined;
        }
        const read = readMonitoringAnswer(body);
        reading =
          'problem' in read
            ? { outcome: 'unreadable', detail: read.problem }
            : { outcome: 'read', steps: read.steps };
      } else if (outcome.kind === 'malformed') {
        reading = { outcome: 'unreadable', detail: `unreadable monitoring answer: ${outcome.reason}` };
      } else {
        const reason = 'reason' in outcome ? outcome.reason : `HTTP ${outcome.httpStatus}`;
        reading = { outcome: 'failed', detail: `monitoring answer failed: ${reason}` };
      }
      await recordMonitoringReading(pool, region, readAt, reading);
      if (reading.outcome !== 'read') Context.current().log.warn(`${region}: ${reading.detail}`);
      if (reading.outcome !== 'read') return reading;
      const declarations: DatasetDeclaration[] = DECLARATIONS.filter(
        (declaration) =>
          declaration.region === region && (keptWindows === undefined || declaration.id in keptWindows),
      );
      const pace = monitoringPaceOf(reading.steps, declarations, readAt, windowOf);
      return { outcome: 'read', steps: [...reading.steps], pace };
    },
  };
}

export type MonitoringActivities = ReturnType<typeof createMonitoringActivities>;
