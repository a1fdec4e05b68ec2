// What the simulator remembers of each flow-based day, per endpoint: when it is published (at its publication time,
// or from an instant set through the control routes, or not at all), how many hours a partial first publication
// shows and when it completes, how many times it was revised, whether a constraint is to be added while a client
// pages, and the block of row ids each version of the day was given (JAO's running counter). No I/O.
import { addDays, dayStartMs, isDeliveryDay, localTimeOnDay, marketToday } from '../../domain/calendar';
import type { DeliveryDay } from '../../domain/types';
import { SimulatorInputError } from '../faults';
import { FLOW_BASED_ENDPOINTS, type FlowBasedEndpoint, firstDayOf } from './endpoints';

export interface FlowBasedStateSettings {
  now: () => Date;
  /** `HH:MM` Europe/Amsterdam on D-1 when D becomes visible (the simulator's publication time). */
  publicationTime: string;
  /** Seed of the values (the simulator's seed). */
  seed: number;
  /** Share of the full domain served, each TSO's elements thinned (simulator/flowBased/constraints.ts; 1: all). */
  domainShare?: number;
}

interface PartialPublication {
  /** The day's first hours shown until it completes. */
  hours: number;
  /** Completes by itself at this instant (null: only through the control route). */
  completeAtMs: number | null;
  /** Completed through the control route at this instant. */
  completedMs: number | null;
}

interface DayRecord {
  revisions: number;
  revisedMs: number | null;
  /** undefined: at the publication time; null: not published; else published from this instant. */
  publishedFromMs: number | null | undefined;
  partial: PartialPublication | null;
  countChange: { firedMs: number | null } | null;
  /** First row id of each version (by revision count). */
  idBases: Map<number, number>;
}

/** What a request sees of a day at an instant: nothing, or its first `hours` (null: every hour). */
export type DayVisibility = { hours: number | null } | null;

/** A day's state as the control routes answer it. */
export interface FlowBasedDaySummary {
  /** The version of the values served, as the store counts revisions (1: as first published). */
  version: number;
  published: boolean;
  publishedFrom: string | null;
  /** Hours shown while partially published (null: every hour). */
  visibleHours: number | null;
  completeAt: string | null;
  countChange: 'armed' | 'fired' | null;
}

/** JAO's lastModifiedOn of a day published at its publication time: a little before it, with milliseconds. */
const BEFORE_PUBLICATION_MS = 123_453;
/** Ids start here for every endpoint (JAO's counters are far along; any start shows the same behaviour). */
const FIRST_ID = 1_000_001;

function checkedDay(day: DeliveryDay): DeliveryDay {
  if (!isDeliveryDay(day)) throw new SimulatorInputError(`not a delivery day: ${JSON.stringify(day)}`);
  return day;
}

export class FlowBasedState {
  readonly now: () => Date;
  readonly publicationTime: string;
  readonly seed: number;
  readonly domainShare: number;
  private readonly days = new Map<string, DayRecord>();
  private readonly nextIds = new Map<FlowBasedEndpoint, number>();

  constructor(settings: FlowBasedStateSettings) {
    this.now = settings.now;
    this.publicationTime = settings.publicationTime;
    this.seed = settings.seed;
    this.domainShare = settings.domainShare ?? 1;
  }

  private record(endpoint: FlowBasedEndpoint, day: DeliveryDay): DayRecord {
    const key = `${endpoint} ${day}`;
    let record = this.days.get(key);
    if (record === undefined) {
      record = {
        revisions: 0,
        revisedMs: null,
        publishedFromMs: undefined,
        partial: null,
        countChange: null,
        idBases: new Map(),
      };
      this.days.set(key, record);
    }
    return record;
  }

  private peek(endpoint: FlowBasedEndpoint, day: DeliveryDay): DayRecord | undefined {
    return this.days.get(`${endpoint} ${day}`);
  }

  revisionOf(endpoint: FlowBasedEndpoint, day: DeliveryDay): number {
    return this.peek(endpoint, day)?.revisions ?? 0;
  }

  isPublished(endpoint: FlowBasedEndpoint, day: DeliveryDay, atMs: number): boolean {
    if (day < firstDayOf(endpoint)) return false;
    const publishedFrom = this.peek(endpoint, day)?.publishedFromMs;
    if (publishedFrom !== undefined) return publishedFrom !== null && atMs >= publishedFrom;
    const at = new Date(atMs);
    const today = marketToday(at);
    if (day <= today) return true;
    return day === addDays(today, 1) && atMs >= localTimeOnDay(today, this.publicationTime).getTime();
  }

  private completionMs(partial: PartialPublication, atMs: number): number | null {
    const instants = [partial.completedMs, partial.completeAtMs].filter(
      (instant): instant is number => instant !== null && instant <= atMs,
    );
    return instants.length === 0 ? null : Math.min(...instants);
  }

  /** What a request at `atMs` sees of the day. */
  visibility(endpoint: FlowBasedEndpoint, day: DeliveryDay, atMs: number): DayVisibility {
    if (!this.isPublished(endpoint, day, atMs)) return null;
    const partial = this.peek(endpoint, day)?.partial;
    if (partial && this.completionMs(partial, atMs) === null) return { hours: partial.hours };
    return { hours: null };
  }

  /** When the day was first published: the instant set, or a little before its publication time. */
  publishedMs(endpoint: FlowBasedEndpoint, day: DeliveryDay): number {
    const from = this.peek(endpoint, day)?.publishedFromMs;
    if (typeof from === 'number') return from;
    return localTimeOnDay(addDays(day, -1), this.publicationTime).getTime() - BEFORE_PUBLICATION_MS;
  }

  /**
   * When the rows of the day's hour `hourIndex` (counted from the day's start) were last modified, as a request at
   * `atMs` sees them: their version's publication or revision, or the completion of a partial publication.
   */
  rowModifiedMs(endpoint: FlowBasedEndpoint, day: DeliveryDay, hourIndex: number, atMs: number): number {
    const record = this.peek(endpoint, day);
    const versionMs = record?.revisedMs ?? this.publishedMs(endpoint, day);
    const partial = record?.partial;
    if (!partial || hourIndex < partial.hours) return versionMs;
    const completed = this.completionMs(partial, atMs);
    return completed === null ? versionMs : Math.max(versionMs, completed);
  }

  /** The first id of the rows of the day's current version: a block of `size` ids taken on first use. */
  idBase(endpoint: FlowBasedEndpoint, day: DeliveryDay, size: number): number {
    const record = this.record(endpoint, day);
    let base = record.idBases.get(record.revisions);
    if (base === undefined) {
      base = this.nextIds.get(endpoint) ?? FIRST_ID;
      this.nextIds.set(endpoint, base + size);
      record.idBases.set(record.revisions, base);
    }
    return base;
  }

  /** The day's values change from now on (a new version, new row ids). Returns its revision count. */
  revise(endpoint: FlowBasedEndpoint, day: DeliveryDay): number {
    const record = this.record(endpoint, checkedDay(day));
    record.revisions += 1;
    record.revisedMs = this.now().getTime();
    return record.revisions;
  }

  publish(endpoint: FlowBasedEndpoint, day: DeliveryDay, at?: Date): void {
    this.record(endpoint, checkedDay(day)).publishedFromMs = (at ?? this.now()).getTime();
  }

  unpublish(endpoint: FlowBasedEndpoint, day: DeliveryDay): void {
    this.record(endpoint, checkedDay(day)).publishedFromMs = null;
  }

  /** The day shows its first `hours` only, until `completeAt` or completeDay. */
  setPartial(endpoint: FlowBasedEndpoint, day: DeliveryDay, hours: number, completeAt?: Date): void {
    this.record(endpoint, checkedDay(day)).partial = {
      hours,
      completeAtMs: completeAt ? completeAt.getTime() : null,
      completedMs: null,
    };
  }

  /** A partially published day shows every hour from now on. */
  completeDay(endpoint: FlowBasedEndpoint, day: DeliveryDay): void {
    const partial = this.record(endpoint, checkedDay(day)).partial;
    if (partial && partial.completedMs === null) partial.completedMs = this.now().getTime();
  }

  /** After the next page (Take > 0) served for the day, a constraint is added to it. */
  armCountChange(endpoint: FlowBasedEndpoint, day: DeliveryDay): void {
    this.record(endpoint, checkedDay(day)).countChange = { firedMs: null };
  }

  /** Called after a page was served: an armed day gets its added constraint. */
  pageServed(endpoint: FlowBasedEndpoint, day: DeliveryDay): void {
    const change = this.peek(endpoint, day)?.countChange;
    if (change && change.firedMs === null) change.firedMs = this.now().getTime();
  }

  /** When the constraint added while paging joined the day (null: not added). */
  latecomerSince(endpoint: FlowBasedEndpoint, day: DeliveryDay): number | null {
    return this.peek(endpoint, day)?.countChange?.firedMs ?? null;
  }

  summary(endpoint: FlowBasedEndpoint, day: DeliveryDay): FlowBasedDaySummary {
    const atMs = this.now().getTime();
    const record = this.peek(endpoint, day);
    const from = record?.publishedFromMs;
    const visibility = this.visibility(endpoint, day, atMs);
    const partial = record?.partial;
    const change = record?.countChange;
    return {
      version: (record?.revisions ?? 0) + 1,
      published: visibility !== null,
      publishedFrom: typeof from === 'number' ? new Date(from).toISOString() : null,
      visibleHours: visibility?.hours ?? null,
      completeAt:
        partial && partial.completeAtMs !== null && partial.completedMs === null
          ? new Date(partial.completeAtMs).toISOString()
          : null,
      countChange: change ? (change.firedMs === null ? 'armed' : 'fired') : null,
    };
  }

  /** Every endpoint's summary of the day. */
  summaries(day: DeliveryDay): Record<FlowBasedEndpoint, FlowBasedDaySummary> {
    checkedDay(day);
    return Object.fromEntries(
      FLOW_BASED_ENDPOINTS.map((endpoint) => [endpoint, this.summary(endpoint, day)]),
    ) as Record<FlowBasedEndpoint, FlowBasedDaySummary>;
  }
}

/** The hour of the day (from its local start) an MTU falls in. */
export function hourIndexOf(day: DeliveryDay, mtuMs: number): number {
  return Math.floor((mtuMs - dayStartMs(day)) / 3_600_000);
}
