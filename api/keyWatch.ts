import type pg from 'pg';
import { type ApiKey, activeKeyScopes, type KeyScope } from '../db/apiKeys';
import type { DayEventHub } from './eventHub';

/**
 * Why a key no longer authorizes what it holds open: revoked, no longer reading the dataset, or no longer an
 * operator (a response opened under the operator scope is ended when the key loses it).
 */
export type KeyLoss = 'revoked' | 'unscoped' | 'demoted';

/** What `scope` (null: the key is revoked) takes from a holder opened for `dataset`, with or without the operator scope. */
export function keyLossOf(scope: KeyScope | undefined, dataset: string, operator: boolean): KeyLoss | null {
  if (!scope) return 'revoked';
  if (!scope.datasets.includes(dataset)) return 'unscoped';
  if (operator && !scope.operator) return 'demoted';
  return null;
}

/** How often the keys of open responses are checked again, for a change made without a notification. */
export const KEY_RECHECK_MS = 1_000;

interface Holder {
  keyId: number;
  dataset: string;
  /** Opened under the operator scope. */
  operator: boolean;
  end(loss: KeyLoss): void;
}

/**
 * The keys of long-lived responses (the live feed, streamed values), checked again at once when a key is
 * revoked or rescoped (a notification) and every KEY_RECHECK_MS whatever happened: a response whose key was
 * revoked, no longer reads its dataset, or lost the operator scope it was opened under, is ended. A failed check keeps the responses open and is reported; the next one
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
    /** The key store (auth.ts KeyStore), told to forget a key that lost what it held. */
    private readonly keys: { forget(keyId: number): void },
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

  /**
   * Calls `end` once, when `key` stops authorizing `dataset` (or, for a response that serves the operator scope,
   * loses that scope); the returned function stops watching.
   */
  watch(key: ApiKey, dataset: string, end: (loss: KeyLoss) => void, asOperator = false): () => void {
    const holder: Holder = { keyId: key.id, dataset, operator: asOperator && key.operator, end };
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
    // Only the holders whose keys were asked about: one added while the query runs is not in its answer, which
    // would read as revoked; the next check takes it.
    const checked = [...this.holders];
    if (checked.length === 0) return;
    const ids = [...new Set(checked.map((holder) => holder.keyId))];
    let scopes: Map<number, KeyScope>;
    try {
      scopes = await activeKeyScopes(this.pool, ids);
    } catch (error) {
      this.report(`key re-check failed (${error instanceof Error ? error.message : String(error)})`);
      return;
    }
    for (const holder of checked) {
      const loss = keyLossOf(scopes.get(holder.keyId), holder.dataset, holder.operator);
      // Not ended when it stopped being watched meanwhile.
      if (loss === null || !this.holders.delete(holder)) continue;
      this.keys.forget(holder.keyId);
      holder.end(loss);
    }
  }
}
