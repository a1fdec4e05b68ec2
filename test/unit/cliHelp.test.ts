import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';

describe('jao <command> --help', () => {
  it('prints the usage of that command only, and exits 0', async () => {
    const run = await runCli(['reprocess', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: jao reprocess \[options\]/);
    expect(run.stdout).toContain('reprocess --from D --to D');
    expect(run.stdout).not.toContain('backfill --from');
  });

  it('prints every command without one, and exits 2', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^usage: jao <command>/);
  });
});
