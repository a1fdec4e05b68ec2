// The calendar's markup as HTML text: a thousand cells go into the page in one layout, and one cell is redrawn
// from the same text.
import type { LegendEntry, MonthRow } from './calendarGrid';
import { cellLabel } from './calendarGrid';
import {
  type Cell,
  JAO_WORD_MARKS,
  JAO_WORD_TEXT,
  type JaoWordMark,
  REVISED_TEXT,
  STATUS_TEXT,
} from './dayCells';
import { escapeHtml } from './dom';

/** `extraClasses`: marks another part of the page puts on cells (the operator's selection). */
export function cellHtml(cell: Cell, href: string, tabIndex: number, extraClasses = ''): string {
  const stored = cell.running && cell.stored ? ` data-stored="${cell.stored.status}"` : '';
  const marks =
    `${cell.dstChange ? ' dst' : ''}${cell.recheckFailed ? ' recheck-failed' : ''}` +
    `${cell.revised ? ' revised' : ''}${cell.bad ? ' bad' : ''}${cell.jaoWord ? ` jao-${cell.jaoWord}` : ''}` +
    `${extraClasses ? ` ${extraClasses}` : ''}`;
  return (
    `<a role="gridcell" class="cell d${Number(cell.day.slice(8, 10))} s-${cell.status}${marks}"` +
    ` data-day="${cell.day}" data-status="${cell.status}"${stored} href="${escapeHtml(href)}"` +
    ` target="_blank" rel="noopener noreferrer" tabindex="${tabIndex}" aria-label="${escapeHtml(cellLabel(cell))}">${STATUS_TEXT[cell.status].glyph}</a>`
  );
}

/** The header row of day numbers, then a row per month; only `focusDay` is in the tab order. */
export function gridHtml(
  months: readonly MonthRow[],
  focusDay: string | undefined,
  hrefOf: (day: string) => string,
  extraClassesOf: (day: string) => string = () => '',
): string {
  const parts: string[] = [
    '<div role="row" class="month header"><span role="columnheader" class="month-label">Month</span>',
  ];
  for (let d = 1; d <= 31; d++) parts.push(`<span role="columnheader" class="d${d}">${d}</span>`);
  parts.push('</div>');
  for (const { month, label, cells } of months) {
    parts.push(
      `<div role="row" class="month" data-month="${month}"><span role="rowheader" class="month-label">${label}</span>`,
    );
    for (const cell of cells)
      parts.push(cellHtml(cell, hrefOf(cell.day), cell.day === focusDay ? 0 : -1, extraClassesOf(cell.day)));
    parts.push('</div>');
  }
  return parts.join('');
}

/** The revised mark's key, beside the legend (a mark, not a status: its days are counted under their status). */
export function revisedKeyHtml(count: number): string {
  return (
    `<span class="swatch cell s-complete revised" aria-hidden="true">${STATUS_TEXT.complete.glyph}</span>` +
    ` ${escapeHtml(REVISED_TEXT.label)} <span class="count">${count}</span>` +
    ` <span class="meaning">${escapeHtml(REVISED_TEXT.meaning)}</span>`
  );
}

/**
 * JAO's word's key, beside the legend: a mark per state that deserves a look, with how many days of the range carry
 * it; nothing where no day does (a dataset without declared steps, or JAO_MONITORING off).
 */
export function jaoWordKeyHtml(counts: Record<JaoWordMark, number>): string {
  if (JAO_WORD_MARKS.every((mark) => counts[mark] === 0)) return '';
  return JAO_WORD_MARKS.map(
    (mark) =>
      `<span class="mark-key" data-mark="jao-${mark}"><span class="swatch cell s-not_fetched jao-${mark}" aria-hidden="true"></span>` +
      ` ${escapeHtml(JAO_WORD_TEXT[mark].label)} <span class="count">${counts[mark]}</span>` +
      ` <span class="meaning">${escapeHtml(JAO_WORD_TEXT[mark].meaning)}</span></span>`,
  ).join('');
}

export function legendHtml(entries: readonly LegendEntry[]): string {
  return entries
    .map(
      ({ status, swatch, glyph, label, count, meaning }) =>
        `<li ${status === null ? 'data-mark="recheck-failed"' : `data-status="${status}"`}>` +
        `<span class="swatch cell ${swatch}" aria-hidden="true">${glyph}</span>` +
        `<span class="legend-label">${escapeHtml(label)}</span> <span class="count">${count}</span>` +
        `<span class="meaning">${escapeHtml(meaning)}</span></li>`,
    )
    .join('');
}
