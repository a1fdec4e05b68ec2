// Copies the screenshots the browser tests took of each state of the status page (test-artifacts/browser/docs/)
// to docs/images/, which docs/operations.md "The status page" shows. `npm run docs:images` runs the browser tests
// first; a screenshot missing, or too large for the repository, stops it with one line.
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const FROM = join(ROOT, 'test-artifacts', 'browser', 'docs');
const TO = join(ROOT, 'docs', 'images');
const MAX_BYTES = 150_000;

/** Each state of the page, as docs/operations.md names it. */
export const DOCS_IMAGES = [
  'calendar-bad-days.png',
  'day-panel.png',
  'day-never-run.png',
  'chart-borders.png',
  'chart-as-of.png',
  'chart-difference.png',
  'chart-25-hour-day.png',
] as const;

function stop(problem: string): never {
  console.error(`docs:images: ${problem}`);
  process.exit(1);
}

function main(): void {
  mkdirSync(TO, { recursive: true });
  for (const name of DOCS_IMAGES) {
    const source = join(FROM, name);
    if (!existsSync(source))
      stop(`${name} is missing in test-artifacts/browser/docs (did the browser tests pass?)`);
    const bytes = statSync(source).size;
    if (bytes > MAX_BYTES)
      stop(`${name} has ${bytes} bytes, more than ${MAX_BYTES}: screenshot a smaller part`);
    copyFileSync(source, join(TO, name));
    console.log(`docs/images/${name} (${Math.round(bytes / 1024)} kB)`);
  }
}

main();
