// A delivery day typed as the page writes every day: `YYYY-MM-DD`, a day of the market's calendar. A text box, not
// <input type="date">: that shows the browser's locale (10/17/2026 in en-US) beside the page's own form. The box
// says why what is typed is not a day (aria-invalid, its validity message and title); the form that reads it asks
// dayProblemOf first. An instant (AsOfInput) is typed in market time likewise.
import { button, h } from './dom';
import { parseMarketTime, typedDayProblem } from './marketTime';

const DAY_FORM = 'YYYY-MM-DD';
const DAY_HINT = 'a delivery day, YYYY-MM-DD (market time, Europe/Amsterdam)';

/** A day box: `min` and `max` bound the days it takes. */
export function dayInput(
  id: string,
  bounds: { min?: string; max?: string; name?: string; required?: boolean } = {},
): HTMLInputElement {
  const input = h('input', {
    type: 'text',
    id,
    name: bounds.name,
    required: bounds.required,
    placeholder: DAY_FORM,
    pattern: '\\d{4}-\\d{2}-\\d{2}',
    inputmode: 'numeric',
    maxlength: 10,
    size: 11,
    autocomplete: 'off',
    spellcheck: 'false',
    title: DAY_HINT,
    'data-min': bounds.min,
    'data-max': bounds.max,
    class: 'day-input',
  });
  const check = () => void dayProblemOf(input);
  input.addEventListener('input', check);
  input.addEventListener('change', check);
  return input;
}

/**
 * Why the box's text is not a day it takes (shown on the box), or null: a day, or empty (`required` boxes say so).
 */
export function dayProblemOf(input: HTMLInputElement): string | null {
  const typed = input.value.trim();
  if (input.value !== typed) input.value = typed;
  const problem =
    typed === ''
      ? input.required
        ? `Write a day: ${DAY_FORM}.`
        : null
      : typedDayProblem(typed, input.dataset.min, input.dataset.max);
  input.setCustomValidity(problem ?? '');
  input.setAttribute('aria-invalid', String(problem !== null));
  input.title = problem ?? DAY_HINT;
  return problem;
}

/**
 * "As known at": an instant typed in market time, a note beside it (what it is, or why it is not one) and a button
 * that clears it. Text, not datetime-local: that shows the browser's locale (04:26:00 PM) and its time zone, not the
 * market's. `empty` is the note while nothing is typed; `cleared` runs after the button cleared it.
 */
export class AsOfInput {
  readonly input: HTMLInputElement;
  readonly note: HTMLElement;
  readonly root: HTMLElement;

  constructor(
    id: string,
    private readonly empty: string,
    cleared: () => void,
  ) {
    this.input = h('input', {
      type: 'text',
      id,
      size: 24,
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'YYYY-MM-DD HH:MM:SS',
      'aria-describedby': `${id}-note`,
    });
    this.note = h('span', { class: 'hint', id: `${id}-note` }, empty);
    const clear = button('Clear', { class: 'secondary', 'aria-label': 'Clear the as-of instant' }, () => {
      this.input.value = '';
      this.read();
      cleared();
    });
    this.root = h('div', {}, h('label', { for: id }, 'As known at '), this.input, clear, ' ', this.note);
  }

  /** Shows the instant typed, or why it is not one; returns it (ISO; null: none; undefined: not one). */
  read(): string | null | undefined {
    const typed = this.input.value.trim();
    const parsed = typed ? parseMarketTime(typed) : null;
    if (parsed?.ok && this.input.value !== parsed.text) this.input.value = parsed.text;
    this.input.setAttribute('aria-invalid', String(parsed !== null && !parsed.ok));
    this.note.textContent = !parsed
      ? this.empty
      : parsed.ok
        ? 'market time, Europe/Amsterdam (CET or CEST)'
        : parsed.problem;
    return parsed === null ? null : parsed.ok ? parsed.iso : undefined;
  }
}
