// The status page's pure parts (page/client/): what a cell shows, the deep link and re-run line, range pieces,
// the chart's aligned columns and a day's versions, the feed's event blocks.
import { describe, expect, it } from 'vitest';
import type { RevisionRow, RunningDay } from '../../domain/apiAnswers';
import { daysInRange } from '../../domain/calendar';
import { dayVersions } from '../../page/client/chartData';
import {
  badDaysLink,
  cellOf,
  countByStatus,
  rangePieces,
  rerunCommand,
  workflowLink,
} from '../../page/client/dayCells';
import { parseEventBlock } from '../../page/client/events';
import { dayRow } from '../helpers/pageRows';

const row = dayRow;
/** The first stored day the cells are judged against. */
const STORED_FROM = '2025-01-01';
const run: RunningDay = {
  dataset: 'maxExchanges',
  day: '2026-01-05',
  workflow_id: 'maxExchanges/day/2026-01-05',
  run_id: 'r',
  started_at: '2026-01-05T10:00:00.000Z',
};

describe('calendar cells', () => {
  it('shows a running day as running, keeping what is stored; a day without a row as missing', () => {
    expect(cellOf('2026-01-05', row('2026-01-05', 'failed'), run, STORED_FROM)).toMatchObject({
      status: 'running',
      stored: { status: 'failed' },
    });
    expect(cellOf('2026-01-05', row('2026-01-05', 'partial'), null, STORED_FROM).status).toBe('partial');
    expect(cellOf('2026-01-05', null, null, STORED_FROM).status).toBe('missing');
    // A day no backfill or poll covered (before the first stored day, or none stored) is no finding.
    expect(cellOf('2024-12-31', null, null, STORED_FROM).status).toBe('not_fetched');
    expect(cellOf('2026-01-05', null, null, null).status).toBe('not_fetched');
    expect(cellOf('2025-01-01', null, null, STORED_FROM).status).toBe('missing');
    expect(cellOf('2025-10-26', null, null, STORED_FROM).dstChange).toBe(true);
    expect(cellOf('2025-03-30', null, null, STORED_FROM).dstChange).toBe(true);
    expect(cellOf('2025-03-31', null, null, STORED_FROM).dstChange).toBe(false);
    // A complete day whose last re-check failed keeps its status, marked (as jao health's `re-check failed`).
    const rechecked = { ...row('2026-01-05', 'complete'), last_error: 'JAO rejected the request' };
    expect(cellOf('2026-01-05', rechecked, null, STORED_FROM)).toMatchObject({
      status: 'complete',
      recheckFailed: true,
    });
    expect(cellOf('2026-01-05', row('2026-01-05', 'complete'), null, STORED_FROM).recheckFailed).toBe(false);
    expect(
      cellOf('2026-01-05', { ...row('2026-01-05', 'failed'), last_error: 'x' }, null, STORED_FROM)
        .recheckFailed,
    ).toBe(false);
  });

  it('counts every status of the legend', () => {
    const cells = [
      cellOf('2026-01-01', null, null, STORED_FROM),
      cellOf('2026-01-02', row('2026-01-02', 'complete'), null, STORED_FROM),
      cellOf('2024-06-01', null, null, STORED_FROM),
    ];
    expect(countByStatus(cells)).toEqual({
      complete: 1,
      partial: 0,
      invalid: 0,
      failed: 0,
      not_published: 0,
      missing: 1,
      not_fetched: 1,
      running: 0,
    });
  });

  it('links to the workflow in the Web UI and names the command that re-runs the day', () => {
    expect(workflowLink('http://127.0.0.1:8233', 'default', 'maxExchanges/day/2026-01-05')).toBe(
      'http://127.0.0.1:8233/namespaces/default/workflows/maxExchanges%2Fday%2F2026-01-05',
    );
    expect(workflowLink('https://ops.example/temporal', 'jao prod', 'x')).toBe(
      'https://ops.example/temporal/namespaces/jao%20prod/workflows/x',
    );
    expect(rerunCommand('2026-01-05')).toBe('npx jao rerun 2026-01-05');
  });

  it("links to the Web UI's list of the days bad now, one running marker each", () => {
    const link = new URL(badDaysLink('https://ops.example/temporal', 'jao prod', 'maxExchanges'));
    expect(`${link.origin}${link.pathname}`).toBe(
      'https://ops.example/temporal/namespaces/jao%20prod/workflows',
    );
    expect(link.searchParams.get('query')).toBe(
      'WorkflowType = "badDayWorkflow" AND ExecutionStatus = "Running" AND Dataset = "maxExchanges"',
    );
  });

  it('cuts a range into pieces the API accepts', () => {
    expect(daysInRange('2024-02-27', '2024-03-01')).toEqual([
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
    expect(rangePieces('2023-01-01', '2025-12-31', 366)).toEqual([
      ['2023-01-01', '2024-01-01'],
      ['2024-01-02', '2025-01-01'],
      ['2025-01-02', '2025-12-31'],
    ]);
    expect(rangePieces('2026-01-05', '2026-01-05', 366)).toEqual([['2026-01-05', '2026-01-05']]);
  });
});

describe('chart data', () => {
  it("gives a day's successive versions from the history's intervals", () => {
    const rev = (mtu: string, v: number, from: string, to: string | null): RevisionRow => ({
      mtu,
      delivery_day: '2026-01-05',
      border: 'AT_BE',
      from_zone: 'AT',
      to_zone: 'BE',
      value_mw: v,
      revision: 1,
      first_seen_at: from,
      valid_from: from,
      valid_to: to,
    });
    const t1 = '2026-01-04T08:00:00.000Z';
    const t2 = '2026-01-04T09:00:00.000Z';
    const m0 = '2026-01-04T23:00:00.000Z';
    const m1 = '2026-01-05T00:00:00.000Z';
    const versions = dayVersions([rev(m0, 10, t1, t2), rev(m0, 11, t2, null), rev(m1, 20, t1, null)]);
    const s = (iso: string) => Date.parse(iso) / 1000;
    expect(versions).toEqual([
      {
        knownFrom: t1,
        values: new Map([
          [s(m0), 10],
          [s(m1), 20],
        ]),
      },
      {
        knownFrom: t2,
        values: new Map([
          [s(m0), 11],
          [s(m1), 20],
        ]),
      },
    ]);
  });
});

describe('the live feed', () => {
  it('reads event blocks and skips comments', () => {
    expect(parseEventBlock('id: 7\nevent: day.stored\ndata: {"id":7}')).toEqual({
      id: '7',
      event: 'day.stored',
      data: '{"id":7}',
    });
    expect(parseEventBlock(': heartbeat')).toBeNull();
    expect(parseEventBlock('retry: 3000\n: connected')).toBeNull();
  });
});
