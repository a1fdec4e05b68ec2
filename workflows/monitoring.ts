// One long-lived workflow per region (docs/monitoring.md): reads JAO's monitoring answer once per interval, and
// starts exactly the days whose announcing steps turned Received (a fetch) or whose lastModifiedOn moved (a re-fetch),
// through the day workflow and its ids `{dataset}/day/YYYY-MM-DD`; a day already running is left to its run. Its
// last reading is carried over continue-as-new, so a new run does not start the days again.
import {
  ApplicationFailure,
  continueAsNew,
  defineSignal,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { z } from 'zod';
import type { MonitoringActivities } from '../activities/monitoring';
import { DATASETS, type Dataset, type DatasetDeclaration, DECLARATIONS, REGIONS } from '../domain/datasets';
import {
  changedSteps,
  datasetsAnnouncedBy,
  MONITORING_SETTINGS_SIGNAL,
  type MonitoringSettings,
  type MonitoringStep,
  monitoredDeclarations,
  stepKey,
} from '../domain/monitoring';
import type { DeliveryDay } from '../domain/types';
import { fetchTaskQueueOf } from '../domain/workflowInputs';
import { zod } from '../domain/zod';
import { DayRunner } from './dayRunner';
import { INVALID_INPUT } from './deliveryDay';
import { MONITORING_QUIET_INTERVAL_PATCH } from './patches';

/** How often JAO's monitoring is read by default while a day is expected (MONITORING_INTERVAL). */
export const DEFAULT_MONITORING_INTERVAL_MS = 30_000;
/** How often it is read by default while none is (MONITORING_QUIET_INTERVAL): as often, unless configured. */
export const DEFAULT_MONITORING_QUIET_INTERVAL_MS = DEFAULT_MONITORING_INTERVAL_MS;
/** Readings per run before continue-as-new (fewer when the server suggests it sooner). */
export const MONITORING_READINGS_PER_RUN = 500;
/** Days of one dataset started at once by one monitoring run. */
const DAYS_AT_ONCE = 4;

/** A worker's settings, from its start-up (control/monitoringWorkflow.ts): applied from the next reading on. */
export const monitoringSettingsSignal = defineSignal<[MonitoringSettings]>(MONITORING_SETTINGS_SIGNAL);

const interval = () => zod().number().int().min(10).max(3_600_000);

/** The input's schema, built on first use: workflow code loads zod only where it parses (domain/zod.ts). */
function buildInputSchema() {
  const z = zod();
  const step = z.object({
    day: z.string(),
    page: z.string(),
    status: z.enum(['Received', 'Pending']),
    deadline: z.string().nullable(),
    lastModifiedOn: z.string().nullable(),
    followUpActionInitiated: z.boolean().nullable(),
  });
  return z.object({
    region: z.enum(REGIONS),
    intervalMs: interval().default(DEFAULT_MONITORING_INTERVAL_MS),
    /** Runs started before 1.3.0's quiet interval carry none: they get the default at their next run. */
    quietIntervalMs: interval().default(DEFAULT_MONITORING_QUIET_INTERVAL_MS),
    readingsPerRun: z.number().int().min(1).max(10_000).default(MONITORING_READINGS_PER_RUN),
    /** The previous run's last reading. */
    last: z.array(step).max(10_000).default([]),
    /** The datasets the worker keeps (JAO_DATASETS): only their days are started. Absent: every one of the region. */
    datasets: z.array(z.enum(DATASETS)).max(DATASETS.length).optional(),
  });
}

let inputSchema: ReturnType<typeof buildInputSchema> | undefined;

export function monitoringInputSchema(): ReturnType<typeof buildInputSchema> {
  inputSchema ??= buildInputSchema();
  return inputSchema;
}

export type MonitoringInput = z.input<ReturnType<typeof buildInputSchema>>;

function buildSettingsSchema() {
  const z = zod();
  return z.object({
    intervalMs: interval(),
    quietIntervalMs: interval(),
    datasets: z.array(z.enum(DATASETS)).max(DATASETS.length),
  });
}

let settingsSchema: ReturnType<typeof buildSettingsSchema> | undefined;

export interface MonitoringProgress {
  readings: number;
  /** `{dataset} {day} published|revised`, in order, this run. */
  started: string[];
  lastOutcome: 'read' | 'failed' | 'unreadable' | null;
}

export async function monitoringWorkflow(input: MonitoringInput): Promise<void> {
  const parsed = monitoringInputSchema().safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw ApplicationFailure.nonRetryable(
      `invalid monitoring input: ${issue?.path.join('.') || '(input)'}: ${issue?.message}`,
      INVALID_INPUT,
    );
  }
  const { region, readingsPerRun, last } = parsed.data;
  let { intervalMs, quietIntervalMs, datasets } = parsed.data;
  const { readJaoMonitoring } = proxyActivities<MonitoringActivities>({
    taskQueue: fetchTaskQueueOf(workflowInfo().taskQueue),
    startToCloseTimeout: '2 minutes',
    // A reading that fails is not retried: the next interval's reading is the retry.
    retry: { maximumAttempts: 1 },
  });
  let declarations: DatasetDeclaration[] = monitoredDeclarations(DECLARATIONS, region, datasets);
  setHandler(monitoringSettingsSignal, (settings) => {
    settingsSchema ??= buildSettingsSchema();
    const read = settingsSchema.safeParse(settings);
    if (!read.success) {
      log.warn(`monitoring ${region}: settings ignored: ${read.error.issues[0]?.message ?? 'unreadable'}`);
      return;
    }
    ({ intervalMs, quietIntervalMs, datasets } = read.data);
    declarations = monitoredDeclarations(DECLARATIONS, region, datasets);
  });
  const runners = new Map<Dataset, DayRunner>();
  const runnerOf = (dataset: Dataset) => {
    let runner = runners.get(dataset);
    if (!runner) {
      runner = new DayRunner({ dataset, trigger: 'poll', concurrency: DAYS_AT_ONCE, onBusy: 'skip' });
      runners.set(dataset, runner);
    }
    return runner;
  };
  let previous = new Map((last as MonitoringStep[]).map((step) => [stepKey(step), step]));
  const progress: MonitoringProgress = { readings: 0, started: [], lastOutcome: null };

  for (let i = 0; i < readingsPerRun && !workflowInfo().continueAsNewSuggested; i++) {
    let outcome: MonitoringProgress['lastOutcome'] = 'failed';
    let quiet = false;
    try {
      const reading = await readJaoMonitoring({ region });
      outcome = reading.outcome;
      if (reading.outcome === 'read') {
        quiet = reading.pace === 'quiet';
        const seen = new Set<string>();
        for (const { step, kind } of changedSteps(previous, reading.steps)) {
          for (const dataset of datasetsAnnouncedBy(step.page, declarations) as Dataset[]) {
            const declaration = declarations.find((each) => each.id === dataset)!;
            if (step.day < declaration.firstDay || seen.has(`${dataset} ${step.day}`)) continue;
            seen.add(`${dataset} ${step.day}`);
            progress.started.push(`${dataset} ${step.day} ${kind}`);
            await runnerOf(dataset).launch(step.day as DeliveryDay);
          }
        }
        previous = new Map(reading.steps.map((step) => [stepKey(step), step]));
      }
    } catch {
      // The activity records what JAO answered; only a failure to record it lands here (the database away).
    }
    progress.readings += 1;
    progress.lastOutcome = outcome;
    const paced = patched(MONITORING_QUIET_INTERVAL_PATCH);
    // A failed reading is retried at the short interval, so the fallback's count of failures comes soon.
    const sleepMs = paced && quiet ? Math.max(intervalMs, quietIntervalMs) : intervalMs;
    setCurrentDetails(
      `monitoring ${region}: ${progress.readings} readings, last ${outcome}; days started: ${progress.started.length}` +
        (paced ? `; next reading in ${sleepMs / 1000} s` : ''),
    );
    await sleep(sleepMs);
  }
  // Children are closed with the run (ParentClosePolicy TERMINATE): let them end before the next run starts.
  for (const runner of runners.values()) await runner.idle();
  return continueAsNew<typeof monitoringWorkflow>({
    region,
    intervalMs,
    ...(patched(MONITORING_QUIET_INTERVAL_PATCH) ? { quietIntervalMs } : {}),
    readingsPerRun,
    last: [...previous.values()],
    ...(datasets === undefined ? {} : { datasets }),
  });
}
