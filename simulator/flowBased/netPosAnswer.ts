// The answer to a netPos request: one row per MTU of the published hours of the window's days (hourly before
// 2025-10-01, every quarter-hour from it), in JAO's short envelope `{data, rejected, messages}`.
import { addDays, dayOfInstant, dayStartMs, daysInRange } from '../../domain/calendar';
import { type Answer, jsonAnswer, problem, type QueryParams } from '../dataAnswer';
import type { FlowBasedState } from './dayState';
import { NET_POSITION_QUARTER_HOUR_DAY } from './endpoints';
import { netPositionHubs, servedNetPositionTenths } from './netPositions';
import { parseWindow, WINDOW_REFUSAL } from './query';
import { netPositionRowJson } from './rowJson';

const HOUR_MS = 3_600_000;
const QUARTER_HOUR_MS = 900_000;
const JSON_TYPE = 'application/json; charset=utf-8';

/** The real answer's row: id 63467 at 2026-08-09T00:00Z (test/fixtures/jao/flowbased/core_netPos_2026-08-09T00Z.json). */
const CAPTURE_ID = 63_467;
const CAPTURE_MS = Date.UTC(2026, 7, 9);
const QUARTER_HOURS_FROM_MS = dayStartMs(NET_POSITION_QUARTER_HOUR_DAY);
const FIRST_QUARTER_HOUR_ID = CAPTURE_ID - (CAPTURE_MS - QUARTER_HOURS_FROM_MS) / QUARTER_HOUR_MS;

/**
 * A row's id: JAO's running counter as the real answer numbers it, one id per MTU (per quarter-hour from
 * 2025-10-01, per hour before), the same for every version of a day.
 */
export function netPosRowId(mtuMs: number): number {
  if (mtuMs >= QUARTER_HOURS_FROM_MS)
    return FIRST_QUARTER_HOUR_ID + Math.floor((mtuMs - QUARTER_HOURS_FROM_MS) / QUARTER_HOUR_MS);
  return FIRST_QUARTER_HOUR_ID - Math.ceil((QUARTER_HOURS_FROM_MS - mtuMs) / HOUR_MS);
}

export function answerNetPosRequest(days: FlowBasedState, params: QueryParams, atMs: number): Answer {
  const window = parseWindow(params);
  if (window.kind === 'unreadable') return problem(400, 'Bad Request', window.detail);
  if (window.kind === 'refused') return jsonAnswer(400, WINDOW_REFUSAL);
  const { fromMs, toMs } = window;
  const rows: string[] = [];
  for (const day of daysInRange(dayOfInstant(new Date(fromMs)), dayOfInstant(new Date(toMs - 1)))) {
    const visibility = days.visibility('netPos', day, atMs);
    if (visibility === null) continue;
    const stepMs = day >= NET_POSITION_QUARTER_HOUR_DAY ? QUARTER_HOUR_MS : HOUR_MS;
    const startMs = dayStartMs(day);
    const endMs = dayStartMs(addDays(day, 1));
    const hubs = netPositionHubs(day);
    const firstMs = Math.max(startMs, startMs + Math.ceil((fromMs - startMs) / stepMs) * stepMs);
    const lastMs = Math.min(
      endMs,
      toMs,
      visibility.hours === null ? endMs : startMs + visibility.hours * HOUR_MS,
    );
    for (let mtuMs = firstMs; mtuMs < lastMs; mtuMs += stepMs) {
      const tenths = servedNetPositionTenths(days, day, mtuMs);
      rows.push(netPositionRowJson(netPosRowId(mtuMs), mtuMs, hubs, tenths));
    }
  }
  return {
    status: 200,
    contentType: JSON_TYPE,
    body: `{"data":[${rows.join(',')}],"rejected":false,"messages":null}`,
  };
}
