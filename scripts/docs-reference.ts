// `npm run docs:reference`: writes docs/reference/ from the code (scripts/docsReference/render.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT, renderReference } from './docsReference/render';

renderReference().then(
  (pages) => {
    for (const [path, text] of pages) {
      mkdirSync(dirname(join(REPO_ROOT, path)), { recursive: true });
      writeFileSync(join(REPO_ROOT, path), text);
      console.log(`wrote ${path}`);
    }
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
