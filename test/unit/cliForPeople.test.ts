// What the command line prints for people: one line per mistake naming its command once, times in market time.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { usageLine } from '../../cli/main';
import { marketInstant } from '../../cli/marketTime';
import { addressesFile, dropAddresses, keepAddresses, runningAddresses } from '../../devstack/addresses';
import { runCli } from '../helpers/cli';

describe('usageLine', () => {
  it('names the command once, and says where its help is', () => {
    expect(
      usageLine('backfill', 'backfill: the range is reversed: from 2026-01-02 is after to 2026-01-01'),
    ).toBe(
      'jao backfill: the range is reversed: from 2026-01-02 is after to 2026-01-01 (help: jao backfill --help)',
    );
    expect(usageLine('rerun', 'rerun --failed: --mode cannot be changed')).toBe(
      'jao rerun --failed: --mode cannot be changed (help: jao rerun --help)',
    );
  });

  it('leaves a setting or a refusal as it is, prefixed once', () => {
    expect(usageLine('worker', 'invalid configuration: POLL_INTERVAL: expected a duration')).toBe(
      'jao worker: invalid configuration: POLL_INTERVAL: expected a duration',
    );
  });
});

describe('marketInstant', () => {
  it('writes an instant in market time with its zone, as the page does', () => {
    expect(marketInstant('2026-11-26T07:05:09.123Z')).toBe('2026-11-26 08:05:09 CET');
    expect(marketInstant(new Date('2026-07-01T10:00:00Z'))).toBe('2026-07-01 12:00:00 CEST');
    // The repeated hour of a 25-hour day, told apart by its zone.
    expect(marketInstant('2026-10-25T00:30:00Z')).toBe('2026-10-25 02:30:00 CEST');
    expect(marketInstant('2026-10-25T01:30:00Z')).toBe('2026-10-25 02:30:00 CET');
  });
});

describe('jao urls', () => {
  let dataDir: string | undefined;
  afterEach(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it('prints the block the running jao start keeps', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jao-urls-'));
    const lines = [
      '  API               http://127.0.0.1:3000',
      '  status page       http://127.0.0.1:3000/#key=k',
    ];
    keepAddresses(dataDir, lines, new Date('2026-11-26T07:00:00Z'));
    const run = await runCli(['urls'], { JAO_DATA_DIR: dataDir });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      [`jao start (pid ${process.pid}), running since 2026-11-26 08:00:00 CET:`, ...lines, ''].join('\n'),
    );
    dropAddresses(dataDir);
    expect(runningAddresses(dataDir)).toBeNull();
  });

  it('says in one line when no jao start runs', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jao-urls-'));
    const run = await runCli(['urls'], { JAO_DATA_DIR: dataDir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `jao urls: no jao start is running on the data dir ${dataDir} (JAO_DATA_DIR); start one with: npm start`,
    ]);
  });

  it('keeps the block readable by its owner only: the page address carries a key', () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jao-urls-'));
    keepAddresses(dataDir, ['x']);
    expect(statSync(addressesFile(dataDir)).mode & 0o777).toBe(0o600);
  });
});
