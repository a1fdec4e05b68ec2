// Chromium for the status page's tests (page/chromium.ts), and where they keep their screenshots (gitignored).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';

export { chromiumMissingNote, launchChromium } from '../../page/chromium';

export const ARTIFACTS_DIR = join(__dirname, '..', '..', 'test-artifacts', 'browser');

export const artifactPath = (name: string) => join(ARTIFACTS_DIR, name);

/** The screenshots of the page's states that docs/operations.md shows (scripts/docs-images.ts copies them). */
export const DOCS_SHOTS_DIR = join(ARTIFACTS_DIR, 'docs');

/** One part of the page (not the whole page: the docs keep small PNGs), for the docs. */
export async function docsShot(part: Locator, name: string): Promise<void> {
  mkdirSync(DOCS_SHOTS_DIR, { recursive: true });
  await part.screenshot({ path: join(DOCS_SHOTS_DIR, name), animations: 'disabled' });
}
