// The JAO simulator (docs/design.md §7): answers every declared dataset's path (`GET /core/api/data/maxExchanges`,
// `/nordic/api/data/maxExchanges`…) like the real Publication Tool,
// with faults that can be set at start-up and changed while it runs. The state lives in state.ts, the answers of
// the data path in dataAnswer.ts, the routes in app.ts.
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { deliveryDayProblem, isDeliveryDay } from '../domain/calendar';
import { DEFAULT_DATASET, type KeyedValueDataset } from '../domain/datasets';
import type { Dataset, DeliveryDay } from '../domain/types';
import { buildSimulatorApp } from './app';
import type { SimulatorFaults } from './faults';
import { isFlowBasedProfile, PROFILES } from './profiles';
import { type RequestLogEntry, SimulatorState } from './state';
import { cellNull, DEFAULT_KEY_SET_CHANGE_DAY, keyHash, rowAbsent, valueAt } from './values';

export { CONTROL_PREFIX } from './app';
export { DUPLICATE_ROW_INDEX, EXTRA_FIELDS_JSON, MAX_WINDOW_MS, MISSING_MTU_INDEX } from './dataAnswer';
export type { SimulatorFaults } from './faults';
export type { RequestLogEntry } from './state';

export interface SimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Clock deciding what is published. */
  now?: () => Date;
  /** `HH:MM` Europe/Amsterdam on D-1 when D becomes visible, default `08:00`. */
  publicationTime?: string;
  /** From this delivery day on, the extra zone's keys appear (default 2026-06-01). */
  keySetChangeDay?: DeliveryDay;
  faults?: Partial<SimulatorFaults>;
  seed?: number;
  /**
   * Share of the full flow-based domain served, in (0, 1] (default 1, the real-shaped full size): every
   * `1/share`-th network element of each TSO with all its constraints, and every external and equality one. For
   * tests that do not rely on the domain's size; `jao start --simulate` serves the full domain.
   */
  flowBasedDomainShare?: number;
}

export interface SimulatorHandle {
  origin: string;
  requests: RequestLogEntry[];
  /** Requests held by the latency fault right now: received and not answered yet. */
  waitingRequests(): number;
  setFaults(faults: Partial<SimulatorFaults>): void;
  /**
   * Datasets default to Core maxExchanges. Returns how many times the day was revised (its values' version, as
   * POST /_simulator/revise answers it, is one more).
   */
  reviseDay(day: DeliveryDay, dataset?: Dataset): number;
  /** The day is published again with the same values: only its lastModifiedOn moves. */
  republishDay(day: DeliveryDay, dataset?: Dataset): void;
  revisionOf(day: DeliveryDay, dataset?: Dataset): number;
  /**
   * The day is visible from `at` (default: now, on the simulator's clock) instead of its publication time, for one
   * dataset or every one (the default).
   */
  publishDay(day: DeliveryDay, at?: Date, dataset?: Dataset): void;
  /** The day is not visible (an empty answer) until publishDay, for one dataset or every one (the default). */
  unpublishDay(day: DeliveryDay, dataset?: Dataset): void;
  expectedValue(day: DeliveryDay, key: string, mtuIso: string, dataset?: KeyedValueDataset): number;
  /**
   * The value the day's current version publishes for a key at an MTU of a dataset the simulator writes itself:
   * null where it publishes none (no row at the MTU, a null cell, a key published empty).
   */
  publishedValue(day: DeliveryDay, key: string, mtuIso: string, dataset: KeyedValueDataset): number | null;
  close(): Promise<void>;
}

const optionsSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(0),
  publicationTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM')
    .default('08:00'),
  keySetChangeDay: z
    .string()
    .refine(isDeliveryDay, { error: (issue) => deliveryDayProblem(issue.input) ?? undefined })
    .default(DEFAULT_KEY_SET_CHANGE_DAY),
  seed: z.number().int().default(1),
  flowBasedDomainShare: z.number().gt(0).max(1).default(1),
});

export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const settings = optionsSchema.parse({
    host: options.host,
    port: options.port,
    publicationTime: options.publicationTime,
    keySetChangeDay: options.keySetChangeDay,
    seed: options.seed,
    flowBasedDomainShare: options.flowBasedDomainShare,
  });
  const state = new SimulatorState({
    now: options.now ?? (() => new Date()),
    publicationTime: settings.publicationTime,
    keySetChangeDay: settings.keySetChangeDay,
    seed: settings.seed,
    flowBasedDomainShare: settings.flowBasedDomainShare,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const app = buildSimulatorApp(state);
  await app.listen({ host: settings.host, port: settings.port });
  const address = app.server.address() as AddressInfo;
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    origin: `http://${hostInUrl}:${address.port}`,
    requests: state.requests,
    waitingRequests: () => state.waitingRequests,
    publishDay: (day, at, dataset) => state.publishDay(day, at, dataset),
    unpublishDay: (day, dataset) => state.unpublishDay(day, dataset),
    setFaults(changes) {
      state.setFaults(changes);
    },
    reviseDay: (day, dataset) => state.reviseDay(day, dataset),
    republishDay: (day, dataset) => {
      state.republishDay(day, dataset);
    },
    revisionOf: (day, dataset) => state.revisionOf(day, dataset),
    expectedValue(day, key, mtuIso, dataset = DEFAULT_DATASET) {
      const profile = PROFILES[dataset];
      if (isFlowBasedProfile(profile)) {
        const value = profile.valueAt(state.flowBased, day, key, Date.parse(mtuIso));
        if (value === null) throw new Error(`${dataset} publishes no ${key} on ${day}`);
        return value;
      }
      return valueAt(keyHash(key), Date.parse(mtuIso), state.revisionOf(day, dataset), profile.format.scale);
    },
    publishedValue(day, key, mtuIso, dataset) {
      const profile = PROFILES[dataset];
      const mtuMs = Date.parse(mtuIso);
      if (isFlowBasedProfile(profile)) return profile.valueAt(state.flowBased, day, key, mtuMs);
      const keySet = profile.keySetForDay(day, state.keySetChangeDay);
      const index = keySet.keys.indexOf(key);
      if (index < 0 || keySet.empty[index] || rowAbsent(profile.rowGaps, mtuMs)) return null;
      if (cellNull(profile.format.gaps, keySet.hashes[index]!, mtuMs)) return null;
      return valueAt(keySet.hashes[index]!, mtuMs, state.revisionOf(day, dataset), profile.format.scale);
    },
    close: () => app.close(),
  };
}
