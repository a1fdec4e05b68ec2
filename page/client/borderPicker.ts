// The chart's borders: a search box over the catalogue to add one, the borders picked (each with its stroke and a
// button that removes it), and a button that clears them all. The picker keeps each border's slot (its stroke,
// borderColours.ts) while the border stays picked.

import type { SeriesEntry } from '../../domain/apiAnswers';
import { assignSlots, type Stroke, strokeOf } from './borderColours';
import { MAX_BORDERS } from './chartRequest';
import { button, h } from './dom';

export class BorderPicker {
  readonly root: HTMLElement;
  readonly input = h('input', {
    id: 'chart-border',
    list: 'chart-borders',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'type to search, e.g. DE_FR',
  });
  private readonly list = h('datalist', { id: 'chart-borders' });
  private readonly chosen: HTMLUListElement;
  private readonly clearButton: HTMLButtonElement;
  private catalogue = new Map<string, SeriesEntry>();
  private picked: string[] = [];
  private slots = new Map<string, number>();

  /** `changed` runs after each add, removal or clear made by the user; `say` tells why a border was not added. */
  constructor(
    private readonly changed: () => void,
    private readonly say: (text: string) => void,
  ) {
    const add = button('Add', { class: 'secondary', id: 'chart-add-border' }, () => {
      if (this.takeTyped()) this.changed();
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      event.preventDefault();
      if (this.takeTyped()) this.changed();
    });
    this.chosen = h('ul', { class: 'chosen-borders', id: 'chart-chosen', 'aria-label': 'Borders drawn' });
    this.clearButton = button(
      'Clear borders',
      { class: 'secondary', id: 'chart-clear-borders', disabled: true },
      () => {
        this.set([]);
        this.changed();
      },
    );
    this.root = h(
      'div',
      { class: 'border-picker' },
      h('label', { for: 'chart-border' }, 'Borders '),
      this.input,
      this.list,
      ' ',
      add,
      ' ',
      this.clearButton,
      this.chosen,
    );
  }

  setCatalogue(series: readonly SeriesEntry[]): void {
    this.catalogue = new Map(series.map((entry) => [entry.border, entry]));
    this.list.replaceChildren(
      ...series.map((entry) =>
        h(
          'option',
          { value: entry.border },
          `${entry.to_zone === null ? entry.from_zone : `${entry.from_zone} → ${entry.to_zone}`}${entry.last_day ? ` (to ${entry.last_day})` : ' (no values)'}`,
        ),
      ),
    );
  }

  get borders(): string[] {
    return [...this.picked];
  }

  /** The border's slot (its colour and dashes): kept from when it was added until it is removed. */
  slotOf(border: string): number {
    return this.slots.get(border) ?? assignSlots(this.slots, [...this.picked, border]).get(border)!;
  }

  /** The borders to draw, as given (unknown ones and those past MAX_BORDERS left out). */
  set(borders: readonly string[]): void {
    this.picked = [...new Set(borders.map((border) => border.trim().toUpperCase()))]
      .filter((border) => this.catalogue.has(border))
      .slice(0, MAX_BORDERS);
    this.render();
  }

  /**
   * Adds the border typed in the search box; false (and a message) when there is none to add. A border already
   * drawn is not added twice (true: the drawing is asked for again all the same).
   */
  takeTyped(): boolean {
    const border = this.input.value.trim().toUpperCase();
    if (!border) return false;
    if (!this.catalogue.has(border)) {
      this.say(`No border ${border} in the catalogue.`);
      return false;
    }
    if (!this.picked.includes(border)) {
      if (this.picked.length >= MAX_BORDERS) {
        this.say(`At most ${MAX_BORDERS} borders at once: remove one first.`);
        return false;
      }
      this.picked.push(border);
    }
    this.input.value = '';
    this.render();
    return true;
  }

  private render(focusRemoveAt: number | null = null): void {
    this.slots = assignSlots(this.slots, this.picked);
    const removeButtons = this.picked.map((border) => {
      const label = `Remove ${border}`;
      const remove = button('×', { class: 'remove', 'aria-label': label, title: label }, () => {
        const index = this.picked.indexOf(border);
        this.picked = this.picked.filter((other) => other !== border);
        // A keyboard user stays in the list: focus moves to the next chip's button (or the search box).
        this.render(document.activeElement === remove ? index : null);
        this.changed();
      });
      return remove;
    });
    this.chosen.replaceChildren(
      ...this.picked.map((border, index) =>
        h(
          'li',
          { 'data-border': border },
          swatch(strokeOf(this.slotOf(border), { kind: 'current' })),
          ` ${border} `,
          removeButtons[index],
        ),
      ),
    );
    this.clearButton.disabled = this.picked.length === 0;
    if (focusRemoveAt !== null) {
      (removeButtons[Math.min(focusRemoveAt, removeButtons.length - 1)] ?? this.input).focus();
    }
  }
}

/** A short sample of the border's line: its colour and dash, as the chart draws it. */
function swatch(stroke: Stroke): Element {
  // SVG attributes, not a style attribute: the page's CSP refuses inline styles.
  const dash = stroke.dash.length > 0 ? stroke.dash.join(' ') : 'none';
  const box = h('span');
  box.innerHTML =
    `<svg class="swatch" width="28" height="10" viewBox="0 0 28 10" aria-hidden="true">` +
    `<line x1="1" y1="5" x2="27" y2="5" stroke="${stroke.colour}" stroke-width="3" stroke-dasharray="${dash}"/></svg>`;
  return box.firstElementChild!;
}
