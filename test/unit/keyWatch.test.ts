// The key re-check of long-lived responses (api/keyWatch.ts) against a pool whose answer the test releases: a
// response opened while a re-check's query runs is not in that query, and must not be taken for revoked.
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { KeyStore } from '../../api/auth';
import type { DayEventHub } from '../../api/eventHub';
import { type KeyLoss, KeyWatch } from '../../api/keyWatch';
import type { ApiKey } from '../../db/apiKeys';

interface ScopeRow {
  key_id: number;
  datasets: string[];
  operator: boolean;
}

/** A pool that answers jao.api_key's active scopes for `active`, once `release` is called for that query. */
function heldPool(active: Map<number, string[]>) {
  const waiting: Array<() => void> = [];
  const pool = {
    query: (config: { values: [number[]] }) =>
      new Promise<{ rows: ScopeRow[] }>((resolve) => {
        waiting.push(() =>
          resolve({
            rows: config.values[0]
              .filter((id) => active.has(id))
              .map((id) => ({ key_id: id, datasets: active.get(id)!, operator: false })),
          }),
        );
      }),
  };
  return { pool: pool as unknown as pg.Pool, release: () => waiting.shift()?.() };
}

const key = (id: number, datasets: string[]): ApiKey => ({
  id,
  name: `key ${id}`,
  datasets,
  operator: false,
  createdAt: '2026-11-26T00:00:00Z',
  revokedAt: null,
});
const hub = { onKeyChange: () => () => {} } as unknown as DayEventHub;
const keys = { forget: () => {} } as unknown as KeyStore;

describe('the key re-check of open responses', () => {
  it('leaves a response opened while its query ran to the next check, which keeps it open', async () => {
    const active = new Map([
      [1, ['maxExchanges']],
      [2, ['maxExchanges', 'nordicMaxExchanges']],
    ]);
    const { pool, release } = heldPool(active);
    const watch = new KeyWatch(pool, keys, hub, () => {}, 3_600_000);
    const ended: string[] = [];
    const end = (id: number) => (loss: KeyLoss) => ended.push(`${id} ${loss}`);
    try {
      watch.watch(key(1, ['maxExchanges']), 'maxExchanges', end(1));
      const first = watch.check();
      watch.watch(key(2, ['nordicMaxExchanges']), 'nordicMaxExchanges', end(2));
      release();
      await first;
      expect(ended).toEqual([]);

      active.delete(2);
      const second = watch.check();
      release();
      await second;
      expect(ended).toEqual(['2 revoked']);
    } finally {
      watch.stop();
    }
  });

  it('does not end a response that stopped being watched while its query ran', async () => {
    const { pool, release } = heldPool(new Map());
    const watch = new KeyWatch(pool, keys, hub, () => {}, 3_600_000);
    const ended: string[] = [];
    try {
      const unwatch = watch.watch(key(1, ['maxExchanges']), 'maxExchanges', (loss) => ended.push(loss));
      const check = watch.check();
      unwatch();
      release();
      await check;
      expect(ended).toEqual([]);
    } finally {
      watch.stop();
    }
  });
});
