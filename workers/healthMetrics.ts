// The health gauges (domain/healthMetrics.ts) on the worker's Prometheus endpoint, refreshed every minute from
// the database and Temporal with the facts `jao health` judges. One refresh at a time; stop() ends the loop.

import type { MetricGauge } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import type pg from 'pg';
import type { Config } from '../common/config';
import { connectClient, type TemporalClient } from '../common/temporal';
import {
  HEALTH_GAUGES,
  HEALTH_REFRESHED_GAUGE,
  type HealthGauge,
  healthGauges,
} from '../domain/healthMetrics';
import { gatherHealthFacts, type HealthSettings } from './healthFacts';
import { settleWithin } from './startupSteps';

export const HEALTH_METRICS_INTERVAL_MS = 60_000;
/** How long stop() waits for a refresh under way. */
const STOP_WAIT_MS = 5_000;

export interface HealthMetrics {
  stop(): Promise<void>;
}

export function startHealthMetrics(
  config: HealthSettings & Pick<Config, 'TEMPORAL_ADDRESS'>,
  pool: pg.Pool,
  log: (line: string) => void,
): HealthMetrics {
  const meter = Runtime.instance().metricMeter;
  const gauges = new Map<string, MetricGauge>();
  const gauge = (name: HealthGauge | typeof HEALTH_REFRESHED_GAUGE) => {
    let existing = gauges.get(name);
    if (!existing) {
      const description =
        name === HEALTH_REFRESHED_GAUGE
          ? 'Unix time of the last refresh of the health gauges'
          : HEALTH_GAUGES[name];
      existing = meter.createGauge(name, 'int', '', description);
      gauges.set(name, existing);
    }
    return existing;
  };

  let temporal: TemporalClient | null = null;
  const dropTemporal = async () => {
    const closing = temporal;
    temporal = null;
    await closing?.close().catch(() => {});
  };
  let lastProblem = '';
  const refresh = async () => {
    const facts = await gatherHealthFacts(
      config,
      {
        temporal: async (use) => {
          temporal ??= await connectClient(config);
          try {
            return await use(temporal);
          } catch (error) {
            await dropTemporal();
            throw error;
          }
        },
        database: (use) => use(pool),
      },
      new Date(),
    );
    for (const reading of healthGauges(facts)) gauge(reading.name).set(reading.value, reading.labels);
    gauge(HEALTH_REFRESHED_GAUGE).set(Math.floor(Date.now() / 1000));
    const problem = [facts.temporalError, facts.databaseError].filter(Boolean).join('; ');
    if (problem !== lastProblem) {
      log(problem ? `health gauges: cannot read ${problem}` : 'health gauges: sources readable again');
      lastProblem = problem;
    }
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const cycle = () => {
    running = refresh()
      .catch((error: unknown) => log(`health gauges not refreshed: ${String(error)}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(cycle, HEALTH_METRICS_INTERVAL_MS);
      });
  };
  cycle();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // A refresh stuck on an unreachable source must not hold up the worker's shutdown.
      await settleWithin(running, STOP_WAIT_MS);
      await dropTemporal();
    },
  };
}
