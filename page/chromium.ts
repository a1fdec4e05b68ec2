// The machine's Chromium (Debian's `chromium` package, installed by scripts/ensure-chromium.sh; CHROMIUM_PATH
// overrides where it is), driven by playwright-core, which downloads no browser of its own: the status page's
// browser tests and bench:page run in it.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Why no browser can run here, or null when Chromium is there. */
export function chromiumMissingNote(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  return `Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH, or run scripts/ensure-chromium.sh)`;
}

export async function launchChromium(): Promise<Browser> {
  const missing = chromiumMissingNote();
  if (missing) throw new Error(missing);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--no-default-browser-check',
    ],
  });
}
