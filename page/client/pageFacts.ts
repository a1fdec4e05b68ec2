// Beside the calendar, for every key, of the dataset shown: tomorrow's freshness as `jao status` tells it (GET /v1/freshness) and the
// backfills in progress with their progress bars (GET /v1/backfills), read again every few seconds.

import type { BackfillInProgress, TomorrowFreshness } from '../../domain/apiAnswers';
import { type Api, UnauthorizedError } from './api';
import { h, messageOf } from './dom';
import { instantText } from './marketTime';
import { backfillText, freshnessText } from './pageFactsText';

export class PageFacts {
  readonly root: HTMLElement;
  private readonly freshness = h('p', { class: 'freshness', 'aria-live': 'polite' }, 'Tomorrow: reading…');
  private readonly backfills = h('ul', { class: 'backfills', 'aria-label': 'Backfills in progress' });

  /** `dataset`: the dataset shown, whose tomorrow and backfills these are. */
  constructor(
    private readonly api: Api,
    private readonly dataset: string,
  ) {
    this.root = h(
      'section',
      { class: 'page-facts', 'aria-label': 'Freshness and backfills' },
      this.freshness,
      h('h3', {}, 'Backfills in progress'),
      this.backfills,
    );
  }

  /** Reads both again; a refused key is the caller's (UnauthorizedError), other trouble is said in place. */
  async refresh(): Promise<void> {
    await Promise.all([this.refreshFreshness(), this.refreshBackfills()]);
  }

  private async refreshFreshness(): Promise<void> {
    try {
      const facts = await this.api.get<TomorrowFreshness>('/v1/freshness', { dataset: this.dataset });
      this.freshness.textContent = freshnessText(facts, instantText);
      this.freshness.dataset.published = String(facts.published);
      this.freshness.classList.toggle('late', facts.late);
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      this.freshness.textContent = `Tomorrow's freshness is unknown: ${messageOf(error)}`;
    }
  }

  async refreshBackfills(): Promise<void> {
    let list: BackfillInProgress[];
    try {
      list = await this.api.get<BackfillInProgress[]>('/v1/backfills', { dataset: this.dataset });
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      this.backfills.dataset.state = 'unknown';
      this.backfills.replaceChildren(h('li', { class: 'problem' }, `Unknown: ${messageOf(error)}`));
      return;
    }
    this.backfills.dataset.state = 'ready';
    if (list.length === 0) {
      this.backfills.replaceChildren(h('li', { class: 'hint' }, 'None.'));
      return;
    }
    this.backfills.replaceChildren(
      ...list.map((backfill) => {
        const { share, text } = backfillText(backfill);
        const bar = h('progress', { max: 1, 'aria-label': backfill.workflow_id });
        if (share !== null) bar.value = share;
        return h(
          'li',
          { 'data-workflow': backfill.workflow_id },
          h('span', { class: 'backfill-name' }, backfill.workflow_id.split('/').slice(2).join(' ')),
          ' ',
          bar,
          h('span', { class: 'meaning' }, ` ${text}; since ${instantText(backfill.started_at)}`),
        );
      }),
    );
  }
}
