// What the API writes into the page (api/routes/page.ts): settings that are not secret. The key is not here.

export interface PageConfig {
  dataset: string;
  /** The Temporal Web UI, without a trailing slash. */
  temporalUiUrl: string;
  namespace: string;
  /** The day workflows' task queue (TEMPORAL_TASK_QUEUE): the Web UI's start page is prefilled with it. */
  taskQueue: string;
  /** The longest range one request of /v1/days or /v1/.../values may span (API_MAX_RANGE_DAYS). */
  maxRangeDays: number;
  /** The server's clock when it wrote the page (ISO-8601): "tomorrow" is the API's, not the browser's. */
  serverNow: string;
  version: string;
}

export const CONFIG_ELEMENT_ID = 'jao-page-config';

/** The page's settings from its JSON script element's text; throws when the page was not written by the API. */
export function parsePageConfig(text: string | null | undefined): PageConfig {
  if (!text) throw new Error('this page has no settings: open it from the API (npx jao api or npm start)');
  return JSON.parse(text) as PageConfig;
}
