// What the calendar shows about one day beside the grid: the tooltip of the cell under the pointer or focus, and
// the panel of the selected day (its facts, the link to its workflow, the command that re-runs it).
import { type Cell, rerunCommand, STATUS_TEXT } from './dayCells';
import { dayFacts } from './dayFacts';
import { button, externalLink, h } from './dom';

function factsList(cell: Cell): HTMLElement {
  const list = h('dl', { class: 'facts' });
  for (const [term, description] of dayFacts(cell)) list.append(h('dt', {}, term), h('dd', {}, description));
  return list;
}

export class DayTooltip {
  readonly element = h('div', { class: 'tooltip', id: 'day-tooltip', role: 'tooltip', hidden: true });

  /** The day shown, while shown. */
  get day(): string | undefined {
    return this.element.hidden ? undefined : this.element.dataset.day;
  }

  /** Shows the cell's facts below its element. */
  show(cell: Cell, cellElement: HTMLElement): void {
    const tooltip = this.element;
    tooltip.replaceChildren(h('strong', {}, cell.day), factsList(cell));
    tooltip.dataset.day = cell.day;
    tooltip.hidden = false;
    cellElement.setAttribute('aria-describedby', 'day-tooltip');
    const box = cellElement.getBoundingClientRect();
    const width = tooltip.offsetWidth;
    const left = Math.min(
      window.scrollX + box.left,
      window.scrollX + document.documentElement.clientWidth - width - 8,
    );
    tooltip.style.left = `${Math.max(8, left)}px`;
    tooltip.style.top = `${window.scrollY + box.bottom + 6}px`;
  }

  hide(): void {
    this.element.hidden = true;
    delete this.element.dataset.day;
  }
}

/** A code span and a button that copies its text (or selects it where the clipboard is refused). */
function copyable(kind: string, text: string): [HTMLElement, HTMLButtonElement] {
  const code = h('code', { class: kind }, text);
  const copy = button('Copy', { class: 'secondary' }, () => {
    void navigator.clipboard?.writeText(text).then(
      () => {
        copy.textContent = 'Copied';
      },
      () => {
        window.getSelection()?.selectAllChildren(code);
      },
    );
  });
  return [code, copy];
}

export class DayDetailPanel {
  readonly element = h(
    'aside',
    { class: 'day-detail', 'aria-live': 'polite', 'aria-label': 'Selected day' },
    h(
      'p',
      { class: 'hint' },
      'Select a day: its workflow opens in the Temporal Web UI, and its facts and re-run command show here.',
    ),
  );

  /** `startInput`: a day that never ran, whose link opens the Web UI's start page: the input to paste there. */
  show(cell: Cell, workflowId: string, workflowHref: string, startInput: string | null = null): void {
    const command = rerunCommand(cell.day);
    const [code, copy] = copyable('command', command);
    const linkText = startInput
      ? `Start ${workflowId} in the Temporal Web UI`
      : `Open ${workflowId} in the Temporal Web UI`;
    const startHelp = startInput
      ? h(
          'p',
          { class: 'start-input' },
          'Its input (JSON), to paste there: ',
          ...copyable('input', startInput),
        )
      : null;
    this.element.replaceChildren(
      h(
        'h3',
        {},
        h(
          'span',
          { class: `swatch cell s-${cell.status}`, 'aria-hidden': 'true' },
          STATUS_TEXT[cell.status].glyph,
        ),
        ` ${cell.day}`,
      ),
      factsList(cell),
      h('p', {}, externalLink(workflowHref, linkText, { class: 'workflow-link' })),
      ...(startHelp ? [startHelp] : []),
      h('p', { class: 'rerun' }, 'Run this day again: ', code, ' ', copy),
    );
    this.element.dataset.day = cell.day;
  }
}
