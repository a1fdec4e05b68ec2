// The chart's difference view: a day and two of its versions (the instants at which some of its values changed, in
// market time), whose change per MTU the chart draws instead of the values.
import type { VersionPair } from './chartRequest';
import { dayInput } from './dayInput';
import { h } from './dom';
import { marketTimeText } from './marketTime';

/** The option of the newest version: the current values (they keep following the live feed). */
const CURRENT = '';

export class DifferenceForm {
  readonly root: HTMLElement;
  readonly toggle = h('input', { type: 'checkbox', id: 'chart-difference' });
  readonly dayInput: HTMLInputElement;
  private readonly baseSelect = h('select', { id: 'chart-diff-base', 'aria-label': 'The older version' });
  private readonly compareSelect = h('select', {
    id: 'chart-diff-compare',
    'aria-label': 'The newer version',
  });
  private readonly note = h('span', { class: 'hint', id: 'chart-diff-note' });
  /** The version lists, shown only while the difference view is on. */
  private readonly versionsBox = h(
    'span',
    { class: 'versions' },
    ': ',
    this.compareSelect,
    ' minus ',
    this.baseSelect,
    ' ',
    this.note,
  );
  /** The day's versions as last read, oldest first. */
  private versions: string[] = [];

  constructor(tomorrow: string, firstDay: string, changed: () => void) {
    this.dayInput = dayInput('chart-diff-day', { min: firstDay, max: tomorrow });
    for (const input of [this.toggle, this.dayInput, this.baseSelect, this.compareSelect]) {
      input.addEventListener('change', () => {
        this.showState();
        changed();
      });
    }
    this.root = h(
      'div',
      { class: 'difference-form' },
      this.toggle,
      h('label', { for: 'chart-difference' }, ' Difference between two versions of '),
      this.dayInput,
      this.versionsBox,
    );
    this.showVersions([], null);
    this.showState();
  }

  get enabled(): boolean {
    return this.toggle.checked && this.dayInput.value !== '';
  }

  get day(): string {
    return this.dayInput.value;
  }

  /** The two versions chosen; null while fewer than two are known. */
  pair(): VersionPair | null {
    if (this.versions.length < 2 || !this.baseSelect.value) return null;
    return { base: this.baseSelect.value, compare: this.compareSelect.value || null };
  }

  /** Sets the form (the tests and drawRequest): on, the day, and the versions when they are known. */
  set(day: string | null, pair: VersionPair | null): void {
    this.toggle.checked = day !== null;
    this.dayInput.value = day ?? '';
    if (pair) this.showVersions(this.versions, pair);
    this.showState();
  }

  private showState(): void {
    this.versionsBox.hidden = !this.toggle.checked;
  }

  /**
   * The day's versions (the instants at which some value changed, oldest first), offered in both lists. A choice
   * still offered is kept; otherwise the newest version (the current values) minus the one before it.
   */
  showVersions(versions: readonly string[], wanted: VersionPair | null): void {
    const previous = wanted ?? (this.versions.length >= 2 ? this.pair() : null);
    this.versions = [...versions];
    const label = (index: number) =>
      `version ${index + 1} (from ${marketTimeText(versions[index]!)})${index === versions.length - 1 ? ', current' : ''}`;
    const options = (withCurrent: boolean) =>
      versions.map((instant, index) =>
        h(
          'option',
          { value: withCurrent && index === versions.length - 1 ? CURRENT : instant },
          label(index),
        ),
      );
    this.baseSelect.replaceChildren(...options(false));
    this.compareSelect.replaceChildren(...options(true));
    const last = versions.length - 1;
    const baseOffered = previous !== null && versions.includes(previous.base);
    this.baseSelect.value = baseOffered ? previous.base : (versions[Math.max(0, last - 1)] ?? '');
    const compare = previous?.compare ?? CURRENT;
    this.compareSelect.value =
      compare === CURRENT || (versions.includes(compare) && compare !== versions[last]) ? compare : CURRENT;
    this.note.textContent =
      versions.length >= 2
        ? `${versions.length} versions`
        : versions.length === 1
          ? 'one version only: nothing to compare'
          : '';
  }
}
