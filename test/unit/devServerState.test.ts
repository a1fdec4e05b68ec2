import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { devServerStateFor } from '../../devstack/devServerState';

describe('the dev server state of a database', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jao-state-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const owner = { key: '0123456789abcdef', description: 'jao on 127.0.0.1:5432 (system 1)' };

  it('is one file per database under temporal/, with a record of whose it is and since when', () => {
    const created = devServerStateFor(dataDir, owner, new Date('2026-11-20T09:00:00Z'));
    expect(created).toEqual({
      file: join(dataDir, 'temporal', '0123456789abcdef.sqlite'),
      recordFile: join(dataDir, 'temporal', '0123456789abcdef.json'),
      since: null,
      legacyFile: null,
    });
    writeFileSync(created.file, '');
    const kept = devServerStateFor(dataDir, owner, new Date('2026-11-22T10:00:00Z'));
    expect(kept.since).toBe('2026-11-20T09:00:00.000Z');
    expect(JSON.parse(readFileSync(kept.recordFile, 'utf8'))).toEqual({
      key: owner.key,
      database: owner.description,
      firstUsedAt: '2026-11-20T09:00:00.000Z',
      lastUsedAt: '2026-11-22T10:00:00.000Z',
    });
    const other = devServerStateFor(dataDir, { key: 'fedcba9876543210', description: 'other' });
    expect(other.file).toBe(join(dataDir, 'temporal', 'fedcba9876543210.sqlite'));
    expect(other.since).toBeNull();
  });

  it('names the state file of earlier versions, which it never uses', () => {
    writeFileSync(join(dataDir, 'temporal.sqlite'), '');
    const state = devServerStateFor(dataDir, owner);
    expect(state.legacyFile).toBe(join(dataDir, 'temporal.sqlite'));
    expect(state.file).not.toBe(state.legacyFile);
  });

  it('refuses a key that is not a hash (it names a file)', () => {
    expect(() => devServerStateFor(dataDir, { key: '../x', description: 'x' })).toThrow('not a state key');
  });
});
