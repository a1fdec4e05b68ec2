import type pg from 'pg';
import { type ApiKey, activeKeyScopes } from '../db/apiKeys';
import type { KeyStore } from './auth';
import type { DayEventHub } from './eventHub';

/** Why a key no longer authorizes what it holds open. */
export type KeyLoss = 'revoked' | 'unscoped';

/** How often the keys of open responses are checked again, for a change made without a notification. */
export const KEY_RECHECK_MS = 1_000;

interface Holder {
  keyId: number;
  dataset: string;
  end(loss: KeyLoss): void;
}

/**
 * The keys of long-lived responses (the live feed, streamed values), checked again at once when a key is
 * revoked (a notification) and every KEY_RECHECK_MS whatever happened: a response whose key was revoked, or no
 * longer reads its dataset, is ended. A failed check keeps the responses open and is reported; the next one
 * checks again.
 */
export class KeyWatch {
  private readonly holders = new Set<Holder>();
  private readonly timer: NodeJS.Timeout;
  private readonly stopListening: () => void;
  private checking: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly keys: KeyStore,
    hub: DayEventHub,
    private readonly report: (line: string) => void,
    recheckMs = KEY_RECHECK_MS,
  ) {
    this.stopListening = hub.onKeyChange((keyId) => {
      if (keyId !== null) this.keys.forget(keyId);
      void this.check();
    });
    this.timer = setInterval(() => void this.check(), recheckMs);
    this.timer.unref();
  }

  /** Calls `end` once, when `key` stops authorizing `dataset`; the returned function stops watching. */
  watch(key: ApiKey, dataset: string, end: (loss: KeyLoss) => void): () => void {
    const holder: Holder = { keyId: key.id, dataset, end };
    this.holders.add(holder);
    return () => this.holders.delete(holder);
  }

  stop(): void {
    clearInterval(this.timer);
    this.stopListening();
    this.holders.clear();
  }

  /** One check at a time; a check asked for meanwhile runs right after it, with what is open then. */
  check(): Promise<void> {
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.again = false;
        await this.checkOnce();
      } while (this.again);
    })().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    if (this.holders.size === 0) return;
    const ids = [...new Set([...this.holders].map((holder) => holder.keyId))];
    let scopes: Map<number, string[]>;
    try {
      scopes = await activeKeyScopes(this.pool, ids);
    } catch (error) {
      this.report(`key re-check failed (${error instanceof Error ? error.message : String(error)})`);
      return;
    }
    for (const holder of [...this.holders]) {
      const datasets = scopes.get(holder.keyId);
      const loss: KeyLoss | null = !datasets
        ? 'revoked'
        : datasets.includes(holder.dataset)
          ? null
          : 'unscoped';
      if (loss === null) continue;
      this.holders.delete(holder);
      this.keys.forget(holder.keyId);
      holder.end(loss);
    }
  }
}
