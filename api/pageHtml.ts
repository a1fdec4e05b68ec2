// The status page's HTML: a shell the script fills, with the non-secret settings as JSON (page/client/config.ts).
import type { PageConfig } from '../page/client/config';

const CONFIG_ELEMENT_ID = 'jao-page-config';

/** JSON safe inside a <script> element: no `<`, so no `</script>` or `<!--`. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function pageHtml(config: PageConfig, assets: { js: string; css: string }): string {
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
