// The operator's view of a range of days: status per day, lateness against the publication deadline, gaps.
import { addDays, daysInRange, marketTomorrow } from './calendar';
import type { DayDrift } from './drift';
import { type Freshness, freshnessOf, type PublicationTimes } from './freshness';
import { deadlineOf } from './freshnessDeadline';
import { type JaoWord, jaoWordOf, type MonitoringStep } from './monitoring';
import { countOf } from './runDetails';
import type { DayStatus, DeliveryDay } from './types';

export interface DayFacts {
  day: DeliveryDay;
  status: DayStatus;
  receivedMtus: number;
  expectedMtus: number;
  revisionCount: number;
  /** Answers that re-published the day: same values, moved extra row fields (default 0). */
  republishedCount?: number;
  lastCheckedAt: Date | null;
  lastError: string | null;
  lastBuildId?: string | null;
  contentBuildId?: string | null;
  /** Why the day is not complete (jao.day_quality.reason). */
  reason?: string | null;
  /** Resolution or key set unlike the previous stored day's. */
  drift?: DayDrift | null;
}

export type GridStatus = DayStatus | 'missing';

export interface DayLine {
  day: DeliveryDay;
  status: GridStatus;
  receivedMtus: number;
  expectedMtus: number;
  /**
   * The revision of the day's stored values: 1 as first stored, +1 at each change, 0 when nothing is stored (the
   * same number as `jao.delivery_day.revision_count`, the API's `revision_count` and the page's "Revision").
   */
  revision: number;
  /** Re-publications of the day (jao.delivery_day.republished_count): same values, lastModifiedOn moved. */
  republished: number;
  /** The deadline passed and the day is still not complete. */
  late: boolean;
  lastCheckedAt: string | null;
  lastError: string | null;
  /** Worker build of the day's last run, and of the run that wrote its stored content. */
  lastBuildId: string | null;
  contentBuildId: string | null;
  /** Publication → stored (null when the pipeline never saw the day with data). */
  freshness: Freshness | null;
  /** Why the day is not complete; null when it is (or was never run). */
  reason: string | null;
  drift: DayDrift | null;
  /**
   * JAO's own word on the day (docs/monitoring.md): not yet published, late, missing, published, or unknown (no step
   * read); null for a dataset that declares no monitoring step.
   */
  jaoWord: JaoWord | null;
}

/** A declared step of a day as last read, with the latest reading that saw it (db/statusReport.ts). */
export type StoredStep = Pick<MonitoringStep, 'day' | 'page' | 'status' | 'deadline' | 'lastModifiedOn'> & {
  seenAt: string;
};

export interface Gap {
  from: DeliveryDay;
  to: DeliveryDay;
  days: number;
}

export interface StatusReport {
  from: DeliveryDay;
  to: DeliveryDay;
  generatedAt: string;
  days: DayLine[];
  counts: Partial<Record<GridStatus | 'late' | 'revised' | 'republished' | 'drift', number>>;
  /** Runs of consecutive days that are due and not complete. */
  gaps: Gap[];
  tomorrow: { day: DeliveryDay; status: GridStatus; deadline: string; late: boolean };
}

export function buildStatusReport(input: {
  from: DeliveryDay;
  to: DeliveryDay;
  /** Records of the range; tomorrow's record may be among them even when tomorrow is outside the range. */
  records: DayFacts[];
  now: Date;
  deadline: string;
  publications?: PublicationTimes[];
  /** The dataset's declared steps as last read, for the days of the range; absent: it declares none. */
  steps?: StoredStep[];
}): StatusReport {
  const byDay = new Map(input.records.map((record) => [record.day, record]));
  const stepsOf = (day: DeliveryDay) => (input.steps ?? []).filter((step) => step.day === day);
  const publicationOf = new Map((input.publications ?? []).map((times) => [times.day, times]));
  const isDue = (day: DeliveryDay) => deadlineOf(day, input.deadline).getTime() <= input.now.getTime();

  const days: DayLine[] = daysInRange(input.from, input.to).map((day) => {
    const record = byDay.get(day);
    const status: GridStatus = record?.status ?? 'missing';
    const times = publicationOf.get(day);
    return {
      day,
      status,
      receivedMtus: record?.receivedMtus ?? 0,
      expectedMtus: record?.expectedMtus ?? 0,
      revision: record?.revisionCount ?? 0,
      republished: record?.republishedCount ?? 0,
      late: status !== 'complete' && isDue(day),
      lastCheckedAt: record?.lastCheckedAt?.toISOString() ?? null,
      lastError: record?.lastError ?? null,
      lastBuildId: record?.lastBuildId ?? null,
      contentBuildId: record?.contentBuildId ?? null,
      freshness: times?.seenAt ? freshnessOf(times) : null,
      reason: status === 'complete' ? null : (record?.reason ?? null),
      drift: record?.drift ?? null,
      jaoWord: input.steps ? jaoWordOf(stepsOf(day), status === 'complete', input.now) : null,
    };
  });

  const counts: StatusReport['counts'] = {};
  const bump = (key: keyof StatusReport['counts']) => {
    counts[key] = (counts[key] ?? 0) + 1;
  };
  for (const line of days) {
    bump(line.status);
    if (line.late) bump('late');
    if (line.revision > 1) bump('revised');
    if (line.republished > 0) bump('republished');
    if (line.drift) bump('drift');
  }

  const gaps: Gap[] = [];
  for (const line of days) {
    if (!line.late) continue;
    const last = gaps.at(-1);
    if (last && addDays(last.to, 1) === line.day) {
      last.to = line.day;
      last.days += 1;
    } else {
      gaps.push({ from: line.day, to: line.day, days: 1 });
    }
  }

  const tomorrowDay = marketTomorrow(input.now);
  const tomorrowStatus: GridStatus = byDay.get(tomorrowDay)?.status ?? 'missing';
  return {
    from: input.from,
    to: input.to,
    generatedAt: input.now.toISOString(),
    days,
    counts,
    gaps,
    tomorrow: {
      day: tomorrowDay,
      status: tomorrowStatus,
      deadline: deadlineOf(tomorrowDay, input.deadline).toISOString(),
      late: tomorrowStatus !== 'complete' && isDue(tomorrowDay),
    },
  };
}

/** A count lists its days while they are this few, else says how many. */
const LISTED_DAYS = 3;

/**
 * The MTU counts of the complete days, the most common first: `MTUs of complete days: 96 (32 days), 100
 * (2026-10-25)`, so a quarter-hour dataset's DST days (92, 100) show beside its usual 96; null when none is complete.
 */
export function describeCompleteMtus(days: readonly DayLine[]): string | null {
  const byCount = new Map<number, DeliveryDay[]>();
  for (const line of days) {
    if (line.status !== 'complete') continue;
    byCount.set(line.receivedMtus, [...(byCount.get(line.receivedMtus) ?? []), line.day]);
  }
  if (byCount.size === 0) return null;
  const groups = [...byCount].sort(([a, daysA], [b, daysB]) => daysB.length - daysA.length || b - a);
  const described = groups.map(([count, list]) =>
    list.length <= LISTED_DAYS
      ? `${count} (${list.join(', ')})`
      : `${count} (${countOf(list.length, 'day')})`,
  );
  return `MTUs of complete days: ${described.join(', ')}`;
}
