// The status page (served by the API at `/`): the key, then the calendar and the chart, kept live by the feed.
import 'uplot/dist/uPlot.min.css';
import './page.css';
import type { DatasetEntry, KeyInfo } from '../../domain/apiAnswers';
import { marketTomorrow } from '../../domain/calendar';
import { EARLIEST_FIRST_DAY } from '../../domain/datasets';
import { Api, UnauthorizedError } from './api';
import { CalendarView } from './calendar';
import { ChartView } from './chart';
import { CONFIG_ELEMENT_ID, type PageConfig, parsePageConfig } from './config';
import { chooseDataset, datasetAsked, datasetOptionText, datasetSearch } from './datasetChoice';
import { badDaysLink, workflowsLink } from './dayCells';
import { button, externalLink, h, messageOf } from './dom';
import { DomainView } from './domainView';
import { followEvents } from './events';
import { forgetKey, storedKey, storeKey, takeKeyFromFragment } from './key';
import { isKeyShaped } from './keyShape';
import { OperatorPanel } from './operatorPanel';
import { PageFacts } from './pageFacts';

/** How often the page asks which day workflows run (the API asks Temporal at most every 2 s). */
const RUNNING_POLL_MS = 5_000;
/** How often the page reads its range again, for what raises no event (a re-check that changed nothing). */
const RESYNC_MS = 15_000;

/** What the browser tests and bench:page read (no secrets). */
interface PageHandle {
  loadedAt: number;
  /** The dataset shown (null until the key's datasets are read). */
  dataset: string | null;
  calendar: CalendarView | null;
  /** The border chart: for a dataset of keyed values. */
  chart: ChartView | null;
  /** The flow-based domain's view, in the chart's place: for a dataset of constraints. */
  domain: DomainView | null;
  /** Present only for an operator key. */
  operator: OperatorPanel | null;
  ready: Promise<void>;
}

declare global {
  interface Window {
    jaoPage?: PageHandle;
  }
}

/**
 * The dataset picker: the datasets the key reads (hidden when it reads one). Picking one loads the page again with
 * it in the address (`?dataset=…`), so that links and reloads keep it.
 */
function datasetPicker(readable: readonly DatasetEntry[], shown: string): HTMLElement {
  const select = h(
    'select',
    { id: 'dataset-picker', 'aria-label': 'Dataset' },
    ...readable.map((entry) => h('option', { value: entry.id }, datasetOptionText(entry))),
  );
  select.value = shown;
  select.addEventListener('change', () => {
    window.location.assign(
      `${window.location.pathname}${datasetSearch(window.location.search, select.value)}${window.location.hash}`,
    );
  });
  const picker = h(
    'span',
    { class: 'dataset-picker' },
    h('label', { for: 'dataset-picker' }, 'Dataset '),
    select,
  );
  picker.hidden = readable.length <= 1;
  return picker;
}

function header(config: PageConfig, withKey: boolean, picker: HTMLElement | null = null): HTMLElement {
  return h(
    'header',
    {},
    h('h1', {}, 'jao-scraper'),
    h(
      'span',
      { class: 'subtitle' },
      `${config.dataset} · namespace ${config.namespace} · v${config.version}`,
    ),
    picker,
    externalLink(workflowsLink(config.temporalUiUrl, config.namespace), 'Temporal Web UI'),
    externalLink(
      badDaysLink(config.temporalUiUrl, config.namespace, config.dataset),
      'Bad days in the Web UI',
      {
        title: 'The days bad now, one row each, the status in the Workflow ID',
      },
    ),
    h('a', { href: '/docs', target: '_blank', rel: 'noopener' }, 'API docs'),
    withKey &&
      button('Forget the key', { class: 'secondary' }, () => {
        forgetKey();
        window.location.reload();
      }),
  );
}

function keyForm(app: HTMLElement, config: PageConfig, problem: string | null): void {
  const input = h('input', {
    id: 'api-key',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'api-key-help',
  });
  const message = h('p', { class: 'problem', role: 'alert' }, problem ?? '');
  const form = h(
    'form',
    { class: 'key-form', 'aria-labelledby': 'key-heading' },
    h('h2', { id: 'key-heading' }, 'API key'),
    h(
      'p',
      { id: 'api-key-help' },
      'The page reads the API with a key, kept in this browser only. Create one with ',
      h('code', {}, 'npx jao api-key create --name me'),
      ' (npm start prints a link that carries one).',
    ),
    h('label', { for: 'api-key' }, 'Key '),
    input,
    ' ',
    h('button', { type: 'submit' }, 'Use this key'),
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!isKeyShaped(key)) {
      message.textContent = 'That is not an API key (jao_ and 43 characters).';
      return;
    }
    storeKey(key);
    void start(app, config, key);
  });
  app.replaceChildren(header(config, false), h('main', {}, form));
  app.removeAttribute('aria-busy');
  input.focus();
}

async function start(app: HTMLElement, serverConfig: PageConfig, key: string): Promise<void> {
  const api = new Api(key, serverConfig.maxRangeDays);
  // The datasets the key reads; the one the address names is shown, else the default one.
  let readable: DatasetEntry[];
  try {
    readable = await api.get<DatasetEntry[]>('/v1/datasets');
  } catch (error) {
    if (error instanceof UnauthorizedError) {
      forgetKey();
      keyForm(app, serverConfig, 'The API refused this key (unknown or revoked). Enter another.');
      return;
    }
    readable = [];
  }
  const choice = chooseDataset(datasetAsked(window.location.search), readable, serverConfig.dataset);
  const config: PageConfig = { ...serverConfig, dataset: choice.shown?.id ?? serverConfig.dataset };
  const firstDay = choice.shown?.first_day ?? EARLIEST_FIRST_DAY;
  const skewMs = Date.parse(config.serverNow) - Date.now();
  const tomorrow = () => marketTomorrow(new Date(Date.now() + skewMs));
  const storedFrom = choice.shown?.stored_from ?? null;
  const calendar = new CalendarView({ api, config, tomorrow, firstDay, storedFrom });
  const domain =
    choice.shown?.row_kind === 'constraints'
      ? new DomainView({ api, dataset: config.dataset, firstDay, tomorrow })
      : null;
  const unit = choice.shown?.unit ?? 'MW';
  const chart = domain ? null : new ChartView({ api, tomorrow, dataset: config.dataset, firstDay, unit });
  if (domain) calendar.onSelect((day) => void domain.showDay(day));
  const handle = Object.assign(window.jaoPage!, { dataset: config.dataset, calendar, chart, domain });
  const facts = new PageFacts(api, config.dataset);
  // Controls only for a key the API says is an operator's; a reader's page never has them.
  const keyInfo = await api.get<KeyInfo>('/v1/key').catch((error: unknown) => {
    if (error instanceof UnauthorizedError) return null;
    return { scope: 'reader' } as const;
  });
  // The run routes act on any dataset an operator key reads: its controls on the page of each.
  const operator =
    keyInfo?.scope === 'operator' && keyInfo.datasets.includes(config.dataset)
      ? new OperatorPanel({
          api,
          config,
          calendar,
          backfillStarted: () => void facts.refreshBackfills().catch(() => {}),
        })
      : null;
  handle.operator = operator;
  const problem = choice.problem ? h('p', { class: 'problem', role: 'alert' }, choice.problem) : null;
  app.replaceChildren(
    header(config, true, datasetPicker(readable, config.dataset)),
    h('main', {}, problem, facts.root, calendar.root, operator?.root, chart?.root, domain?.root),
  );
  app.removeAttribute('aria-busy');

  const stop = new AbortController();
  let refused = false;
  const refuse = (problem = 'The API refused this key (unknown or revoked). Enter another.') => {
    if (refused) return;
    refused = true;
    stop.abort();
    forgetKey();
    keyForm(app, config, problem);
  };
  // The feed first, so that no day changing while the calendar loads goes unheard.
  await followEvents(
    key,
    {
      onEvent: (event) => {
        if (event.dataset !== config.dataset) return;
        calendar.dayChanged(event.day);
        chart?.dayChanged(event);
        domain?.dayChanged(event.day);
      },
      onState: (state) => {
        calendar.feedState = state;
        calendar.updateStatusLine();
        if (state === 'unauthorized') refuse();
      },
      onKeyLost: (loss) => {
        if (loss === 'demoted') {
          // The key reads on, without the operator's controls.
          stop.abort();
          window.location.reload();
          return;
        }
        refuse(
          loss === 'revoked'
            ? 'The live feed closed: this API key was revoked. Enter another key.'
            : `The live feed closed: this API key no longer reads ${config.dataset}. Enter another key.`,
        );
      },
    },
    stop.signal,
  );
  if (refused) return;
  // Each part says its own trouble on the page; only a refused key stops it.
  const [from, to] = calendar.defaultRange();
  const view = domain ? domain.showDay(choice.shown?.stored_to ?? tomorrow()) : chart!.start();
  const loads = await Promise.allSettled([calendar.show(from, to), view, facts.refresh()]);
  if (loads.some((load) => load.status === 'rejected' && load.reason instanceof UnauthorizedError))
    return refuse();
  // Each read again `ms` after the last one ended, until the page stops; a refused key stops it.
  const every = (ms: number, read: () => Promise<unknown>) => {
    const again = async () => {
      if (stop.signal.aborted) return;
      try {
        await read();
      } catch (error) {
        if (error instanceof UnauthorizedError) return refuse();
      }
      setTimeout(again, ms);
    };
    setTimeout(again, ms);
  };
  every(RUNNING_POLL_MS, () => Promise.all([calendar.refreshRunning(), facts.refresh()]));
  every(RESYNC_MS, () => calendar.resync());
}

function boot(): void {
  const app = document.getElementById('app')!;
  let resolveReady: () => void = () => {};
  window.jaoPage = {
    loadedAt: Date.now(),
    dataset: null,
    calendar: null,
    chart: null,
    domain: null,
    operator: null,
    ready: new Promise<void>((resolve) => {
      resolveReady = resolve;
    }),
  };
  let config: PageConfig;
  try {
    config = parsePageConfig(document.getElementById(CONFIG_ELEMENT_ID)?.textContent);
  } catch (error) {
    app.textContent = messageOf(error);
    return;
  }
  // A key in the address that is not a key's form is named as such: the page does not go on as if none was given,
  // nor with another key kept from before.
  const addressProblem = takeKeyFromFragment();
  const key = addressProblem ? null : storedKey();
  if (!key) {
    keyForm(app, config, addressProblem);
    resolveReady();
    return;
  }
  start(app, config, key).then(resolveReady, (error: unknown) => {
    app.append(h('p', { class: 'problem', role: 'alert' }, `The page failed: ${messageOf(error)}`));
    resolveReady();
  });
}

boot();
