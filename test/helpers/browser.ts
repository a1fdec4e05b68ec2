// Chromium for the status page's tests (page/chromium.ts), and where they keep their screenshots (gitignored).
import { join } from 'node:path';

export { chromiumMissingNote, launchChromium } from '../../page/chromium';

export const ARTIFACTS_DIR = join(__dirname, '..', '..', 'test-artifacts', 'browser');

export const artifactPath = (name: string) => join(ARTIFACTS_DIR, name);
