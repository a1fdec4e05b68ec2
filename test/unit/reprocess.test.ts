// The pure parts of reprocessing and the catalogue: inputs and ids, the run's tally, the CLI's lines, the
// publication schedule's sentence and the data dictionary's markdown.
import { describe, expect, it } from 'vitest';
import { changedDayLine, parseReprocessArgs } from '../../cli/commands/reprocess';
import { cell, renderDataDictionary } from '../../cli/dataDictionary';
import { UsageError } from '../../cli/errors';
import type { DataDictionary } from '../../db/catalogue';
import { describePublicationSchedule } from '../../domain/datasetSource';
import {
  countReprocessed,
  emptyReprocessTotals,
  LISTED_CHANGED_DAYS,
  MAX_REPROCESS_BATCH_DAYS,
  parseReprocessDayInput,
  parseReprocessInput,
  type ReprocessDayResult,
  reprocessBatchSize,
  reprocessDayWorkflowId,
  reprocessWorkflowId,
} from '../../domain/reprocessInputs';
import { dayWorkflowId } from '../../domain/workflowInputs';

const NOW = new Date('2026-03-10T12:00:00Z');

describe('reprocess inputs', () => {
  it('takes a range with defaults', () => {
    expect(parseReprocessInput({ from: '2026-03-01', to: '2026-03-11' }, NOW)).toEqual({
      ok: true,
      value: {
        dataset: 'maxExchanges',
        from: '2026-03-01',
        to: '2026-03-11',
        concurrency: 8,
        daysPerRun: 400,
      },
    });
  });

  it.each([
    [
      { from: '2026-03-05', to: '2026-03-01' },
      'the range is reversed: from 2026-03-05 is after to 2026-03-01',
    ],
    [
      { from: '2022-06-08', to: '2022-06-10' },
      'from 2022-06-08 is before Core flow-based go-live (2022-06-09): JAO has no data',
    ],
    [
      { from: '2026-03-01', to: '2026-03-12' },
      'to 2026-03-12 is after tomorrow (2026-03-11): no answer of it can be stored yet',
    ],
    [{ from: '2026-3-1', to: '2026-03-02' }, 'from: "2026-3-1" is not a date in the form YYYY-MM-DD'],
    [{ from: '2026-02-27', to: '2026-02-30' }, 'to: 2026-02-30 is not a day of the calendar'],
    [
      { from: '2026-03-01', to: '2026-03-02', concurrency: 65 },
      'concurrency: concurrency must be at most 64',
    ],
    [{ from: '2026-03-01', to: '2026-03-02', dataset: 'other' }, expect.stringMatching(/^dataset: /)],
  ])('refuses %j clearly', (input, message) => {
    expect(parseReprocessInput(input, NOW)).toEqual({ ok: false, message });
  });

  it('names the runs so that a day is found by its id and never collides with its day workflow', () => {
    expect(reprocessWorkflowId('maxExchanges', '2026-03-01', '2026-03-05')).toBe(
      'maxExchanges/reprocess/2026-03-01..2026-03-05',
    );
    const id = reprocessDayWorkflowId('maxExchanges', '2026-03-01');
    expect(id).toBe('maxExchanges/day/2026-03-01/reprocess');
    expect(id).not.toBe(dayWorkflowId('maxExchanges', '2026-03-01'));
    expect(id.startsWith(dayWorkflowId('maxExchanges', '2026-03-01'))).toBe(true);
  });

  it('checks a day started on its own against its id; a child is named by its parent', () => {
    const day = { day: '2026-03-01' };
    expect(parseReprocessDayInput(day, NOW, 'maxExchanges/day/2026-03-01/reprocess').ok).toBe(true);
    expect(parseReprocessDayInput(day, NOW, null).ok).toBe(true);
    expect(parseReprocessDayInput(day, NOW, 'maxExchanges/day/2026-03-01')).toEqual({
      ok: false,
      message:
        'workflow id "maxExchanges/day/2026-03-01" does not name the day: start it as "maxExchanges/day/2026-03-01/reprocess"',
    });
    expect(parseReprocessDayInput({ day: '2026-03-12' }, NOW, null)).toEqual({
      ok: false,
      message: '2026-03-12 is after tomorrow (2026-03-11): no answer of it can be stored yet',
    });
  });
});

const dayResult = (day: string, changed: boolean, values = { changed: 2, added: 1, vanished: 0 }) =>
  ({
    day,
    status: 'complete',
    statusBefore: 'partial',
    changed,
    values: changed ? values : { changed: 0, added: 0, vanished: 0 },
    revision: 2,
    rawResponseId: 7,
    latestAnswer: true,
  }) satisfies ReprocessDayResult;

describe('the tally of a reprocessing', () => {
  it('counts changed and unchanged days and their values, listing a bounded number of days', () => {
    const totals = emptyReprocessTotals();
    countReprocessed(totals, dayResult('2026-01-01', false));
    for (let i = 0; i < LISTED_CHANGED_DAYS + 3; i += 1) countReprocessed(totals, dayResult(`d${i}`, true));
    expect(totals.unchangedDays).toBe(1);
    expect(totals.changedDays).toBe(LISTED_CHANGED_DAYS + 3);
    expect(totals.values).toEqual({
      changed: 2 * (LISTED_CHANGED_DAYS + 3),
      added: LISTED_CHANGED_DAYS + 3,
      vanished: 0,
    });
    expect(totals.changed).toHaveLength(LISTED_CHANGED_DAYS);
    expect(totals.changed[0]).toEqual({
      day: 'd0',
      statusBefore: 'partial',
      status: 'complete',
      values: { changed: 2, added: 1, vanished: 0 },
    });
  });
});

describe('the batches of a reprocessing', () => {
  it('gives every slot work, and no batch more than MAX_REPROCESS_BATCH_DAYS days', () => {
    expect(reprocessBatchSize(6, 8)).toBe(1);
    expect(reprocessBatchSize(20, 8)).toBe(3);
    expect(reprocessBatchSize(400, 8)).toBe(MAX_REPROCESS_BATCH_DAYS);
    expect(reprocessBatchSize(1, 1)).toBe(1);
    expect(reprocessBatchSize(1_000, 1)).toBe(MAX_REPROCESS_BATCH_DAYS);
  });
});

describe('jao reprocess', () => {
  const refusal = (argv: string[]) => {
    try {
      parseReprocessArgs(argv);
      return 'accepted';
    } catch (error) {
      if (error instanceof UsageError) return error.message;
      throw error;
    }
  };

  it('reads its arguments', () => {
    expect(
      parseReprocessArgs(['--from', '2024-01-01', '--to', '2024-01-31', '--concurrency', '16', '--dry-run']),
    ).toMatchObject({
      request: { from: '2024-01-01', to: '2024-01-31', concurrency: 16 },
      dryRun: true,
      wait: false,
    });
  });

  it('refuses a missing range, a stray argument, a bad number in one line', () => {
    expect(refusal(['--from', '2024-01-01'])).toBe('reprocess: --from and --to are required (YYYY-MM-DD)');
    expect(refusal(['2024-01-01', '--from', '2024-01-01', '--to', '2024-01-02'])).toBe(
      'reprocess: unexpected argument "2024-01-01"',
    );
    expect(refusal(['--from', '2024-01-01', '--to', '2024-01-02', '--concurrency', '1e1'])).toBe(
      'reprocess: concurrency must be a whole number in decimal digits, got "1e1"',
    );
    expect(refusal(['--from', '2024-01-02', '--to', '2024-01-01', '--mode', 'all'])).toMatch(
      /^reprocess: Unknown option '--mode'/,
    );
  });

  it('says of a changed day what it was, what it is and how many values changed', () => {
    expect(
      changedDayLine({
        day: '2024-01-05',
        statusBefore: 'partial',
        status: 'complete',
        values: { changed: 12, added: 120, vanished: 0 },
      }),
    ).toBe('2024-01-05 partial → complete: 132 values (12 changed, 120 added, 0 vanished)');
    expect(
      changedDayLine({
        day: '2024-01-06',
        statusBefore: 'complete',
        status: 'complete',
        values: { changed: 1, added: 0, vanished: 0 },
      }),
    ).toBe('2024-01-06 complete (status unchanged): 1 value (1 changed, 0 added, 0 vanished)');
  });
});

describe('the source and schedule the catalogue names', () => {
  it('describes other settings in their own words', () => {
    expect(
      describePublicationSchedule({
        window: '07:00-10:30',
        checkIntervalMs: 90_000,
        deadline: '11:00',
        pollIntervalMs: 3_600_000,
        lookbackDays: 5,
      }),
    ).toBe(
      'day D is published on D-1 (JAO: typically 07:30-08:30 UTC); checked every 90 s within 07:00-10:30 ' +
        'Europe/Amsterdam on D-1 until complete, expected by 11:00; tomorrow and the last 5 days re-checked every 1 h',
    );
  });

  it('says a window and a deadline on the delivery day itself as such', () => {
    expect(
      describePublicationSchedule({
        window: 'D 08:00-12:00',
        checkIntervalMs: 30_000,
        deadline: 'D 12:00',
        pollIntervalMs: 600_000,
        lookbackDays: 3,
      }),
    ).toBe(
      'day D is published on D itself; checked every 30 s within 08:00-12:00 Europe/Amsterdam on D until ' +
        'complete, expected by 12:00 on D; tomorrow and the last 3 days re-checked every 10 min',
    );
  });
});

describe('the data dictionary', () => {
  it('keeps every table cell on one line and escapes its pipes', () => {
    expect(cell('a | b\n  c')).toBe('a \\| b c');
    expect(cell(null)).toBe('–');
    expect(cell(0)).toBe('0');
  });

  it('renders datasets, series and consumer objects from what the database says', () => {
    const dictionary: DataDictionary = {
      database: 'jao',
      generatedAt: '2026-03-10T12:00:00.000Z',
      migration: '017_catalog',
      datasets: [
        {
          dataset: 'maxExchanges',
          title: 'MaxBEX',
          endpoint: 'https://publicationtool.jao.eu/core/api/data/maxExchanges',
          publicationWindow: '08:00-11:00',
          freshnessDeadline: '12:00',
          publicationSchedule: 'daily',
          recordedAt: '2026-03-10T11:00:00.000Z',
          recordedBy: null,
          series: 1,
          resolutionMinutes: 60,
          daysStored: 2,
          firstDay: '2026-03-01',
          lastDay: '2026-03-04',
          completeDays: 2,
          daysWithoutKeySet: 1,
          lastChangedAt: '2026-03-10T10:00:00.000Z',
        },
      ],
      series: [
        {
          dataset: 'maxExchanges',
          key: 'border_AT_BE',
          border: 'AT_BE',
          from_zone: 'AT',
          to_zone: 'BE',
          unit: 'MW',
          resolution_minutes: 60,
          first_day: '2026-03-01',
          last_day: '2026-03-04',
          days_in_span: 4,
          complete_days: 2,
          complete_share: 0.5,
          last_changed_at: '2026-03-10T10:00:00.000Z',
          source_endpoint: null,
          publication_schedule: null,
        },
      ],
      objects: [
        {
          name: 'jao.max_exchanges',
          kind: 'view',
          comment: 'Current values.',
          columns: [{ name: 'mtu', type: 'timestamp with time zone', comment: 'start of the MTU (UTC)' }],
        },
      ],
    };
    const lines = renderDataDictionary(dictionary).split('\n');
    expect(lines).toContain('| complete days | 2 of 4 days of the span (50.0 %) |');
    expect(lines).toContain(
      '| source recorded | 2026-03-10T11:00:00.000Z by migration 017 (defaults, no worker started yet) |',
    );
    expect(lines).toContain(
      '| days not in the series figures | 1 stored before key sets were recorded (npx jao reprocess records them) |',
    );
    expect(lines).toContain(
      '| maxExchanges | AT_BE | `border_AT_BE` | AT | BE | MW | 60 | 2026-03-01 | 2026-03-04 | 2 of 4 | 50.0 % | 2026-03-10T10:00:00.000Z |',
    );
    expect(lines).toContain('### `jao.max_exchanges` (view)');
    expect(lines).toContain('| `mtu` | timestamp with time zone | start of the MTU (UTC) |');
  });
});
