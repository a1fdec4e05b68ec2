// The reference pages of docs/reference/, rendered in memory from the code (npm run docs:reference writes them;
// test/unit/docsReference.test.ts checks that the committed ones are current).
import { REPO_ROOT } from '../../common/buildInfo';
import { renderAlerts } from './alerts';
import { openApiDocument, renderApi } from './api';
import { renderCli } from './cli';
import { renderDataDictionary } from './datasets';
import { generatedNotice, page, table } from './markdown';
import { renderSettings } from './settings';

export { REPO_ROOT };
export const REFERENCE_DIR = 'docs/reference';

/** The pages besides README.md, with what each holds. */
const PAGES = [
  ['settings.md', 'every environment variable: default, accepted values, meaning'],
  [
    'alerts.md',
    'every Prometheus alert of deploy/prometheus/jao.rules.yml: expression, for, labels, annotations',
  ],
  ['cli.md', 'every `jao` command with its help text and options'],
  [
    'data-dictionary.md',
    'every dataset: JAO path, resolution, zones, first day, published-empty keys, publication',
  ],
  ['api.md', 'the HTTP API from its OpenAPI document: paths, parameters, responses, security'],
] as const;

function renderReadme(): string {
  return page([
    generatedNotice('scripts/docsReference/render.ts'),
    '',
    '# Reference',
    '',
    'Generated from the code by `npm run docs:reference` (scripts/docs-reference.ts); a unit test',
    '(test/unit/docsReference.test.ts) fails when a page here differs from what the code says.',
    '',
    ...table(
      ['page', 'holds'],
      PAGES.map(([file, holds]) => [`[${file}](${file})`, holds]),
    ),
  ]);
}

/** Every page of docs/reference/, by its path from the repository root. */
export async function renderReference(root: string = REPO_ROOT): Promise<Map<string, string>> {
  const texts: Record<(typeof PAGES)[number][0], string> = {
    'settings.md': renderSettings(),
    'alerts.md': renderAlerts(root),
    'cli.md': renderCli(),
    'data-dictionary.md': renderDataDictionary(),
    'api.md': renderApi(await openApiDocument()),
  };
  const pages = new Map<string, string>([[`${REFERENCE_DIR}/README.md`, renderReadme()]]);
  for (const [file] of PAGES) pages.set(`${REFERENCE_DIR}/${file}`, texts[file]);
  return pages;
}
