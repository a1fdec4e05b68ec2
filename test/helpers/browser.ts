// Real Chromium for the status page's tests and bench:page, driven by playwright-core (no browser download: the
// machine's Chromium, Debian's `chromium` package, which scripts/ensure-chromium.sh installs).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Screenshots and timings the browser tests keep (gitignored). */
export const ARTIFACTS_DIR = join(__dirname, '..', '..', 'test-artifacts', 'browser');

export function chromiumPresent(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Why the browser tests cannot run here, or null. Under CI a missing Chromium fails them instead. */
export function browserMissingNote(): string | null {
  if (chromiumPresent()) return null;
  return `Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH, or run scripts/ensure-chromium.sh)`;
}

export async function launchChromium(): Promise<Browser> {
  if (!chromiumPresent()) throw new Error(browserMissingNote()!);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
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

export const artifactPath = (name: string) => join(ARTIFACTS_DIR, name);
