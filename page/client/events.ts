// The live feed (/v1/events) read with fetch: EventSource cannot send the key as a header, and a key in a URL
// ends up in logs. Reconnects by itself and resumes after the last event it saw (Last-Event-ID), except after
// the server's last word on the key (key.revoked, key.unscoped): then it stops.
import type { DayEvent } from '../../domain/apiAnswers';

export type FeedState = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

/**
 * Why the server ended the stream for good: its key was revoked, no longer reads the dataset, or lost the operator
 * scope (the page then starts again as a reader's).
 */
export type KeyLoss = 'revoked' | 'unscoped' | 'demoted';

export interface FeedHandlers {
  onEvent(event: DayEvent): void;
  onState(state: FeedState): void;
  onKeyLost(loss: KeyLoss): void;
}

const KEY_LOSS_EVENTS = new Map<string, KeyLoss>([
  ['key.revoked', 'revoked'],
  ['key.unscoped', 'unscoped'],
  ['key.demoted', 'demoted'],
]);

/** Parses one block of an event stream; null for a comment or a block without data. */
export function parseEventBlock(block: string): { id: string | null; event: string; data: string } | null {
  let id: string | null = null;
  let event = '';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('id:')) id = line.slice(3).trim();
    else if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  return data.length > 0 ? { id, event, data: data.join('\n') } : null;
}

/** Follows the feed until `signal` aborts; resolves once the first connection is open (or failed). */
export function followEvents(key: string, handlers: FeedHandlers, signal: AbortSignal): Promise<void> {
  let lastId: string | null = null;
  let delayMs = 1_000;
  let opened: () => void = () => {};
  const firstOpen = new Promise<void>((resolve) => {
    opened = resolve;
  });

  const connect = async (): Promise<'retry' | 'stop'> => {
    const headers: Record<string, string> = { authorization: `Bearer ${key}`, accept: 'text/event-stream' };
    if (lastId) headers['last-event-id'] = lastId;
    const response = await fetch('/v1/events', { headers, signal });
    if (response.status === 401 || response.status === 403) {
      handlers.onState('unauthorized');
      return 'stop';
    }
    if (!response.ok || !response.body) return 'retry';
    handlers.onState('live');
    opened();
    delayMs = 1_000;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'retry';
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = parseEventBlock(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (!block) continue;
        const loss = KEY_LOSS_EVENTS.get(block.event);
        if (loss) {
          await reader.cancel().catch(() => {});
          handlers.onKeyLost(loss);
          return 'stop';
        }
        if (block.id) lastId = block.id;
        try {
          handlers.onEvent(JSON.parse(block.data) as DayEvent);
        } catch {
          // not an event of ours: skipped
        }
      }
    }
  };

  void (async () => {
    handlers.onState('connecting');
    while (!signal.aborted) {
      let outcome: 'retry' | 'stop' = 'retry';
      try {
        outcome = await connect();
      } catch {
        // network error or aborted
      }
      opened();
      if (outcome === 'stop' || signal.aborted) return;
      handlers.onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, 30_000);
    }
  })();
  return firstOpen;
}
