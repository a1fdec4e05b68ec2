// A delivery day typed as the page writes every day: `YYYY-MM-DD`, a day of the market's calendar. A text box, not
// <input type="date">: that shows the browser's locale (10/17/2026 in en-US) beside the page's own form. The box
// says why what is typed is not a day (aria-invalid, its validity message and title); the form that reads it asks
// dayProblemOf first.
import { h } from './dom';
import { typedDayProblem } from './marketTime';

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
