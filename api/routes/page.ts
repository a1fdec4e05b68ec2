import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_DATASET } from '../../domain/datasets/compat';
import { version } from '../../package.json';
import type { PageConfig } from '../../page/client/config';
import { type PageAsset, pageAssets } from '../pageAssets';
import type { ApiApp } from '../routing';

/**
 * What the page needs to know that is not secret (common/config.ts: TEMPORAL_UI_URL, TEMPORAL_NAMESPACE,
 * TEMPORAL_TASK_QUEUE).
 */
export type PageSettings = Pick<PageConfig, 'temporalUiUrl' | 'namespace' | 'taskQueue' | 'maxRangeDays'>;

const JS_PATH = '/page/app.js';
const CSS_PATH = '/page/app.css';

/**
 * Everything from this origin: the page's own script and stylesheet, the API's /v1 paths. uPlot sets styles
 * through the CSSOM, which style-src does not restrict.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: PageAsset, type: string) {
  reply
    .header('etag', asset.etag)
    .header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff');
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  return reply.type(type).send(asset.body);
}

// The status page's HTML: a shell the script fills, with the non-secret settings as JSON (page/client/config.ts).
const CONFIG_ELEMENT_ID = 'jao-page-config';

/** JSON safe inside a <script> element: no `<`, so no `</script>` or `<!--`. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function pageHtml(config: PageConfig, assets: { js: string; css: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>jao-scraper: delivery days</title>
<link rel="stylesheet" href="${assets.css}">
<script type="application/json" id="${CONFIG_ELEMENT_ID}">${scriptJson(config)}</script>
<script defer src="${assets.js}"></script>
</head>
<body>
<noscript>The status page needs JavaScript. The same data: GET /v1/days (docs at /docs).</noscript>
<div id="app" aria-busy="true">Loading…</div>
</body>
</html>
`;
}

/** The status page at `/` (docs/operations.md "The status page"): no key needed to load it, only to read /v1. */
export function registerPageRoutes(app: ApiApp, settings: PageSettings): void {
  const hidden = { schema: { hide: true } };
  app.get('/', hidden, async (_request, reply) => {
    const assets = await pageAssets();
    const html = pageHtml(
      {
        dataset: DEFAULT_DATASET,
        temporalUiUrl: settings.temporalUiUrl,
        namespace: settings.namespace,
        taskQueue: settings.taskQueue,
        maxRangeDays: settings.maxRangeDays,
        serverNow: new Date().toISOString(),
        version,
      },
      {
        js: `${JS_PATH}?v=${encodeURIComponent(assets.js.etag.slice(1, 11))}`,
        css: `${CSS_PATH}?v=${encodeURIComponent(assets.css.etag.slice(1, 11))}`,
      },
    );
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .send(html);
  });
  app.get(JS_PATH, hidden, async (request, reply) =>
    sendAsset(request, reply, (await pageAssets()).js, 'text/javascript; charset=utf-8'),
  );
  app.get(CSS_PATH, hidden, async (request, reply) =>
    sendAsset(request, reply, (await pageAssets()).css, 'text/css; charset=utf-8'),
  );
}
