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

  it('without a command: one line saying where the commands are, and exit 2', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'jao: name a command (start, status, backfill, rerun, …: jao --help lists them all)\n',
    );
  });

  it('jao --help prints every command, and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: jao <command>/);
    expect(run.stdout).toContain('\n  urls ');
  });
});
