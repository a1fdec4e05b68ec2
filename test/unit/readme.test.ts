// What README.md states that could go stale is checked here: the Node.js it asks for is package.json's `engines`,
// and the datasets it names are exactly the declared ones (domain/datasets/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS } from '../../domain/datasets';

const ROOT = join(__dirname, '..', '..');

/** `ten`, `thirty`, `thirty-two`: a count from 0 to 99 as the README writes it. */
function numberInWords(count: number): string {
  const ones = [
    'zero',
    'one',
    'two',
    'three',
    'four',
    'five',
    'six',
    'seven',
    'eight',
    'nine',
    'ten',
    'eleven',
    'twelve',
    'thirteen',
    'fourteen',
    'fifteen',
    'sixteen',
    'seventeen',
    'eighteen',
    'nineteen',
  ];
  const tens = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
  if (count < 20) return ones[count]!;
  const unit = count % 10;
  return unit === 0 ? tens[Math.floor(count / 10)]! : `${tens[Math.floor(count / 10)]}-${ones[unit]}`;
}
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README.md', () => {
  it('asks for the Node.js of package.json engines', () => {
    const engines = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
    ).engines.node;
    expect(engines).toMatch(/^>=\d+\.\d+$/);
    expect(README).toContain(`Node.js ≥ ${engines.slice(2)}`);
  });

  it('names every declared dataset, and counts them right', () => {
    const intro = README.slice(0, README.indexOf('\n\n', README.indexOf('It keeps')));
    for (const id of DATASETS) expect(intro).toContain(`\`${id}\``);
    expect(intro).toContain(`It keeps ${numberInWords(DATASETS.length)} datasets`);
  });

  it('stays a front door: at most 150 lines', () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(150);
  });
});
