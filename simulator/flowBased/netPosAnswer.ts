// The answer to a netPos request: one row per MTU of the published hours of the window's days (hourly before
// 2025-10-01, every quarter-hour from it), in JAO's short envelope `{data, rejected, messages}`.
import { addDays, dayOfInstant, dayStartMs, daysInRange } from '../../domain/calendar';
import { type Answer, jsonAnswer, problem, type QueryParams } from '../dataAnswer';
import type { FlowBasedState } from './dayState';
import { NET_POSITION_QUARTER_HOUR_DAY } from './endpoints';
import { netPositionHubs, netPositionTenths } from './netPositions';
import { parseWindow, WINDOW_REFUSAL } from './query';
import { netPositionRowJson } from './rowJson';

const HOUR_MS = 3_600_000;
const QUARTER_HOUR_MS = 900_000;
const JSON_TYPE = 'application/json; charset=utf-8';

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
    const idBase = days.idBase('netPos', day, (endMs - startMs) / stepMs);
    const epoch = days.revisionOf('netPos', day);
    const hubs = netPositionHubs(day);
    const firstMs = Math.max(startMs, startMs + Math.ceil((fromMs - startMs) / stepMs) * stepMs);
    const lastMs = Math.min(
      endMs,
      toMs,
      visibility.hours === null ? endMs : startMs + visibility.hours * HOUR_MS,
    );
    for (let mtuMs = firstMs; mtuMs < lastMs; mtuMs += stepMs) {
      const tenths = netPositionTenths(hubs, mtuMs, epoch, days.seed);
      rows.push(netPositionRowJson(idBase + (mtuMs - startMs) / stepMs, mtuMs, hubs, tenths));
    }
  }
  return {
    status: 200,
    contentType: JSON_TYPE,
    body: `{"data":[${rows.join(',')}],"rejected":false,"messages":null}`,
  };
}
