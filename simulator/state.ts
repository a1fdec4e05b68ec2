// What the simulator remembers while it runs: faults, revisions, publication instants, the request log and the
// answers of the last minute. No I/O: the clock and the seed are given.
import { addDays, isDeliveryDay, localTimeOnDay, marketToday } from '../domain/calendar';
import { DATASETS, DEFAULT_DATASET, declarationOf, type Region } from '../domain/datasets';
import type { Dataset, DeliveryDay } from '../domain/types';
import { mergeFaults, NO_FAULTS, type SimulatorFaults, SimulatorInputError } from './faults';
import { FlowBasedState } from './flowBased/dayState';
import type { FlowBasedEndpoint } from './flowBased/endpoints';
import { flowBasedEndpointOf } from './profiles';
import { seededRandom } from './random';

export interface RequestLogEntry {
  at: number;
  /** The dataset whose path was asked (absent for answers of an unknown path). */
  dataset?: Dataset;
  /** The flow-based path that was asked (simulator/flowBased/), which is not a declared dataset. */
  endpoint?: FlowBasedEndpoint;
  /** The region whose monitoring path was asked (simulator/monitoring.ts). */
  monitoring?: Region;
  fromUtc: string | null;
  toUtc: string | null;
  /** The paging a flow-based path was asked for (`Skip`, `Take`), when asked: `take` 0 is a count probe. */
  skip?: number;
  take?: number;
  status: number;
}

export interface SimulatorStateSettings {
  /** Clock deciding what is published. */
  now: () => Date;
  /** `HH:MM` Europe/Amsterdam on D-1 when D becomes visible. */
  publicationTime: string;
  keySetChangeDay: DeliveryDay;
  seed: number;
  /** Share of the full flow-based domain served (default 1; simulator/flowBased/constraints.ts). */
  flowBasedDomainShare?: number;
  faults?: Partial<SimulatorFaults>;
}

export const RATE_WINDOW_MS = 60_000;
export const REQUEST_LOG_LIMIT = 100_000;

function checkedDay(day: DeliveryDay): DeliveryDay {
  if (!isDeliveryDay(day)) throw new SimulatorInputError(`not a delivery day: ${JSON.stringify(day)}`);
  return day;
}

export class SimulatorState {
  readonly now: () => Date;
  readonly publicationTime: string;
  readonly keySetChangeDay: DeliveryDay;
  /** Seeded: which answers are 5xx is reproducible. */
  readonly random: () => number;
  /** Oldest first; the oldest tenth is dropped when it reaches REQUEST_LOG_LIMIT. */
  readonly requests: RequestLogEntry[] = [];
  /** The flow-based days: publication, partial publication, revisions, row ids. */
  readonly flowBased: FlowBasedState;
  private currentFaults: SimulatorFaults;
  /** By `dataset day`. */
  private readonly revisions = new Map<string, number>();
  /** When a day's current version was last modified (revised or re-published), by `dataset day`. */
  private readonly modifications = new Map<string, number>();
  /** Days published from an instant set through the control API (null: not published), by `dataset day`. */
  private readonly publications = new Map<string, number | null>();
  /** Instants of the answers counted in the rate window, oldest first. */
  private readonly answeredAt: number[] = [];

  constructor(settings: SimulatorStateSettings) {
    this.now = settings.now;
    this.publicationTime = settings.publicationTime;
    this.keySetChangeDay = settings.keySetChangeDay;
    this.random = seededRandom(settings.seed);
    this.currentFaults = mergeFaults(NO_FAULTS, settings.faults ?? {});
    this.flowBased = new FlowBasedState({
      now: settings.now,
      publicationTime: settings.publicationTime,
      seed: settings.seed,
      domainShare: settings.flowBasedDomainShare ?? 1,
    });
  }

  get faults(): SimulatorFaults {
    return this.currentFaults;
  }

  /** Replaces the given faults; throws SimulatorInputError (nothing changed) on an invalid one. */
  setFaults(changes: unknown): SimulatorFaults {
    this.currentFaults = mergeFaults(this.currentFaults, changes);
    return this.currentFaults;
  }

  revisionOf(day: DeliveryDay, dataset: Dataset = DEFAULT_DATASET): number {
    const endpoint = flowBasedEndpointOf(dataset);
    if (endpoint !== null) return this.flowBased.revisionOf(endpoint, day);
    return this.revisions.get(`${dataset} ${day}`) ?? 0;
  }

  /**
   * The day's values change from now on (and its lastModifiedOn moves to now). A dataset a flow-based endpoint
   * answers (simulator/profiles) is revised there.
   */
  reviseDay(day: DeliveryDay, dataset: Dataset = DEFAULT_DATASET): number {
    const endpoint = flowBasedEndpointOf(dataset);
    if (endpoint !== null) return this.flowBased.revise(endpoint, day);
    const revision = this.revisionOf(checkedDay(day), dataset) + 1;
    this.revisions.set(`${dataset} ${day}`, revision);
    this.modifications.set(`${dataset} ${day}`, this.now().getTime());
    return revision;
  }

  /** The day is published again with the same values: only its lastModifiedOn moves (to now). */
  republishDay(day: DeliveryDay, dataset: Dataset = DEFAULT_DATASET): Date {
    const at = this.now();
    this.modifications.set(`${dataset} ${checkedDay(day)}`, at.getTime());
    return at;
  }

  /** When the day's current version was last modified: its revision or re-publication, else its publication. */
  lastModifiedOf(day: DeliveryDay, dataset: Dataset = DEFAULT_DATASET): number {
    const endpoint = flowBasedEndpointOf(dataset);
    if (endpoint !== null) return this.flowBased.rowModifiedMs(endpoint, day, 0, this.now().getTime());
    const modified = this.modifications.get(`${dataset} ${day}`);
    if (modified !== undefined) return modified;
    const published = this.publications.get(`${dataset} ${day}`);
    if (published) return published;
    // A little before the publication time, with milliseconds, as JAO's are.
    return localTimeOnDay(addDays(day, -1), this.publicationTime).getTime() - 123_453;
  }

  /**
   * The day is visible from `at` (default: now, on the simulator's clock) instead of its publication time, for one
   * dataset or (by default) every one.
   */
  publishDay(day: DeliveryDay, at?: Date, dataset?: Dataset): void {
    checkedDay(day);
    for (const each of dataset ? [dataset] : DATASETS) {
      const endpoint = flowBasedEndpointOf(each);
      if (endpoint !== null) this.flowBased.publish(endpoint, day, at);
      else this.publications.set(`${each} ${day}`, (at ?? this.now()).getTime());
    }
  }

  /** The day is not visible (an empty answer) until publishDay, for one dataset or (by default) every one. */
  unpublishDay(day: DeliveryDay, dataset?: Dataset): void {
    checkedDay(day);
    for (const each of dataset ? [dataset] : DATASETS) {
      const endpoint = flowBasedEndpointOf(each);
      if (endpoint !== null) this.flowBased.unpublish(endpoint, day);
      else this.publications.set(`${each} ${day}`, null);
    }
  }

  /** The instant set through publishDay, null when unpublished or left to its publication time. */
  publishedFrom(day: DeliveryDay, dataset: Dataset = DEFAULT_DATASET): Date | null {
    const endpoint = flowBasedEndpointOf(dataset);
    if (endpoint !== null) {
      const summary = this.flowBased.summary(endpoint, day).publishedFrom;
      return summary === null ? null : new Date(summary);
    }
    const from = this.publications.get(`${dataset} ${day}`);
    return from ? new Date(from) : null;
  }

  isPublished(day: DeliveryDay, at: Date, dataset: Dataset = DEFAULT_DATASET): boolean {
    if (day < declarationOf(dataset).firstDay) return false;
    const endpoint = flowBasedEndpointOf(dataset);
    if (endpoint !== null) return this.flowBased.isPublished(endpoint, day, at.getTime());
    const publishedFrom = this.publications.get(`${dataset} ${day}`);
    if (publishedFrom !== undefined) return publishedFrom !== null && at.getTime() >= publishedFrom;
    const today = marketToday(at);
    if (day <= today) return true;
    return day === addDays(today, 1) && at.getTime() >= localTimeOnDay(today, this.publicationTime).getTime();
  }

  /** Counts an answer at `atMs` unless the last minute already holds `maxRequestsPerMinute` of them. */
  isRateLimited(atMs: number): boolean {
    const { answeredAt } = this;
    while (answeredAt.length > 0 && answeredAt[0]! <= atMs - RATE_WINDOW_MS) answeredAt.shift();
    const limit = this.currentFaults.maxRequestsPerMinute;
    if (limit !== null && answeredAt.length >= limit) return true;
    answeredAt.push(atMs);
    return false;
  }

  /** Requests held by the latency fault right now: received, not answered yet. */
  waitingRequests = 0;

  /** Holds a request for the latency fault's time (none without it), counted in waitingRequests meanwhile. */
  async holdForLatency(): Promise<void> {
    const { latencyMs } = this.currentFaults;
    if (latencyMs <= 0) return;
    this.waitingRequests += 1;
    try {
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
    } finally {
      this.waitingRequests -= 1;
    }
  }

  logRequest(entry: RequestLogEntry): void {
    if (this.requests.length >= REQUEST_LOG_LIMIT) this.requests.splice(0, REQUEST_LOG_LIMIT / 10);
    this.requests.push(entry);
  }

  clearRequests(): void {
    this.requests.length = 0;
  }
}
