// JAO's monitoring path, `/{region}/api/system/monitoring?FromUtc&ToUtc` (docs/monitoring.md): one row per business
// day and step that a declaration names, Received once every dataset the step announces is published on the
// simulator's clock, its lastModifiedOn the latest of theirs (so it moves on a revision), Pending otherwise (late
// when past its deadline). The monitoring faults touch this path alone.
import { dayOfInstant, dayStartMs, daysInRange } from '../domain/calendar';
import { type Dataset, type DatasetDeclaration, DECLARATIONS, type Region } from '../domain/datasets';
import type { DeliveryDay } from '../domain/deliveryDay';
import { deadlineOf } from '../domain/freshnessDeadline';
import { datasetsAnnouncedBy } from '../domain/monitoring';
import { type Answer, jsonAnswer, problem, type QueryParams, transportFault } from './dataAnswer';
import type { SimulatorState } from './state';

/** The longest window the monitoring path answers, in days (JAO's own limit is not known). */
export const MONITORING_MAX_WINDOW_DAYS = 31;
const DAY_MS = 86_400_000;
const HTML_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Service temporarily unavailable</title></head>' +
  '<body><h1>Service temporarily unavailable</h1></body></html>\n';

export interface MonitoringRow {
  id: number;
  businessDayUtc: string;
  deadline: string;
  page: string;
  status: 'Received' | 'Pending';
  lastModifiedOn: string | null;
  followUpActionInitiated: boolean;
}

/** The steps of a region the declarations name, each with the datasets it announces, in declaration order. */
export function stepsOfRegion(region: Region): Array<{ page: string; datasets: Dataset[] }> {
  const declarations: DatasetDeclaration[] = DECLARATIONS.filter(
    (declaration) => declaration.region === region,
  );
  const pages = [...new Set(declarations.flatMap((declaration) => declaration.monitoring?.steps ?? []))];
  return pages.map((page) => ({ page, datasets: datasetsAnnouncedBy(page, declarations) as Dataset[] }));
}

/** The rows of one business day at `atMs`. */
export function monitoringRowsOfDay(state: SimulatorState, region: Region, day: DeliveryDay, atMs: number) {
  const at = new Date(atMs);
  const dayNumber = Math.round(dayStartMs(day) / DAY_MS);
  return stepsOfRegion(region).map(({ page, datasets }, index): MonitoringRow => {
    const received = datasets.every((dataset) => state.isPublished(day, at, dataset));
    const deadlines = datasets.map((dataset) =>
      deadlineOf(day, declarationOfDataset(dataset).publication.deadline).getTime(),
    );
    const modified = Math.max(...datasets.map((dataset) => state.lastModifiedOf(day, dataset)));
    return {
      id: dayNumber * 100 + index,
      // Local midnight of the business day, in UTC (one of the two forms the clients accept).
      businessDayUtc: `${new Date(dayStartMs(day)).toISOString().slice(0, 19)}Z`,
      deadline: new Date(Math.max(...deadlines)).toISOString(),
      page,
      status: received ? 'Received' : 'Pending',
      lastModifiedOn: received ? new Date(modified).toISOString() : null,
      followUpActionInitiated: false,
    };
  });
}

function declarationOfDataset(dataset: Dataset): DatasetDeclaration {
  return DECLARATIONS.find((declaration) => declaration.id === dataset)!;
}

function parseInstant(text: string | undefined): number | null {
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** The answer of the monitoring path for a request at `atMs` (counted towards the shared rate limit). */
export function answerMonitoringRequest(
  state: SimulatorState,
  region: Region,
  params: QueryParams,
  atMs: number,
): Answer {
  const fault = transportFault(state, atMs);
  if (fault) return fault;
  if (state.faults.monitoringOutage) {
    return problem(503, 'Service Unavailable', 'The monitoring service is unavailable (simulated).');
  }
  if (state.faults.monitoringUnreadable) {
    return { status: 200, contentType: 'text/html; charset=utf-8', body: HTML_PAGE };
  }
  const fromMs = parseInstant(params.fromutc);
  const toMs = parseInstant(params.toutc);
  if (fromMs === null || toMs === null) {
    return problem(400, 'Bad Request', 'FromUtc and ToUtc are required, formatted YYYY-MM-DDTHH:MM:SS.000Z.');
  }
  if (toMs <= fromMs) return problem(400, 'Bad Request', 'ToUtc must be after FromUtc.');
  if (toMs - fromMs > MONITORING_MAX_WINDOW_DAYS * DAY_MS) {
    return problem(
      400,
      'Bad Request',
      `The requested range must not exceed ${MONITORING_MAX_WINDOW_DAYS} days.`,
    );
  }
  const days = daysInRange(dayOfInstant(new Date(fromMs)), dayOfInstant(new Date(toMs - 1)));
  // What is published is decided on the simulator's clock, as on the data paths.
  const nowMs = state.now().getTime();
  const data = days.flatMap((day) => monitoringRowsOfDay(state, region, day, nowMs));
  return jsonAnswer(200, { data, rejected: false, messages: [] });
}
