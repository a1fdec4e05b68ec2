import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const jao = join(__dirname, '..', '..', 'bin', 'jao.js');

describe('jao <command> --help', () => {
  it('prints the usage of that command only, and exits 0', () => {
    const run = spawnSync(process.execPath, [jao, 'reprocess', '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: jao reprocess \[options\]/);
    expect(run.stdout).toContain('reprocess --from D --to D');
    expect(run.stdout).not.toContain('backfill --from');
  });
});
