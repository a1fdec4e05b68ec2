// What README.md states that could go stale is checked here: the Node.js it asks for is package.json's `engines`,
// and the datasets it names are exactly the declared ones (domain/datasets/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS } from '../../domain/datasets';

const ROOT = join(__dirname, '..', '..');
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
    const words = (
      'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen ' +
      'seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four twenty-five twenty-six ' +
      'twenty-seven twenty-eight twenty-nine thirty thirty-one thirty-two thirty-three thirty-four thirty-five'
    ).split(' ');
    expect(intro).toContain(`It keeps ${words[DATASETS.length]} datasets`);
  });

  it('stays a front door: at most 150 lines', () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(150);
  });
});
