import { z } from 'zod';
import { readDayEventsAfter } from '../../db/dayEvents';
import type { DayEvent } from '../../domain/apiAnswers';
import { isDataset } from '../../domain/datasets';
import { KEYS_DATASETS } from '../auth';
import type { KeyLoss } from '../keyWatch';
import { type ApiApp, ApiInputError, KEY_REFUSALS, type RouteDeps, SECURITY } from '../routing';

const REPLAY_PAGE = 1_000;
/** A subscriber this far behind (bytes not yet taken by its socket) is dropped; it resumes by Last-Event-ID. */
const MAX_BUFFERED_BYTES = 1 << 20;
/** Ids already sent, remembered to skip an event that arrives twice (replay and live, or a hub reconnect). */
const REMEMBERED_IDS = 4_096;

const eventsQuery = z.strictObject({
  last_event_id: z
    .string()
    .regex(/^\d{1,15}$/, 'expected an event id (a whole number)')
    .optional()
    .describe('resume after this event (as the Last-Event-ID header)'),
});

function frame(event: DayEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The last frame of a stream whose key stopped authorizing it; no `id`, so a client's Last-Event-ID stays. */
export function keyLossFrame(loss: KeyLoss, dataset: string): string {
  const answer = {
    revoked: { event: 'key.revoked', message: 'this API key was revoked; the stream is closed' },
    unscoped: {
      event: 'key.unscoped',
      message: `this API key no longer reads the dataset ${dataset}; the stream is closed`,
    },
    demoted: {
      event: 'key.demoted',
      message: 'this API key lost its operator scope; the stream is closed (reconnect to read as a reader)',
    },
  }[loss];
  return `event: ${answer.event}\ndata: ${JSON.stringify({ type: answer.event, dataset, message: answer.message })}\n\n`;
}

/** The client's Last-Event-ID (header, or query for clients that cannot set headers); null: live only. */
function resumeId(header: string | string[] | undefined, query: string | undefined): number | null {
  const text = (Array.isArray(header) ? header[0] : header) ?? query;
  if (text === undefined || text === '') return null;
  if (!/^\d{1,15}$/.test(text))
    throw new ApiInputError('Last-Event-ID', 'expected an event id (a whole number)');
  return Number(text);
}

export function registerEventsRoute(app: ApiApp, deps: RouteDeps): void {
  app.get(
    '/v1/events',
    {
      config: { dataset: KEYS_DATASETS },
      schema: {
        summary: 'Live feed of stored, revised and failed days and failed re-checks (Server-Sent Events)',
        description:
          'Events day.stored, day.revised, day.republished (the same values, lastModifiedOn moved), day.failed (a day ' +
          'without stored values failed) and day.recheck_failed ' +
          '(a re-check of a stored day failed: its values and status stay), each as `id`, `event` and `data` (JSON: ' +
          'id, type, dataset, day, status, revision, build, raisedAt, error): the events of the datasets the key ' +
          'reads, whichever they are. `error` is what a failed re-check met ' +
          "(the day's last error, at most 1000 characters); null for the other events. " +
          'Send Last-Event-ID to resume; a comment line every 15 s keeps ' +
          'the connection open. When the key is revoked, or no longer reads the dataset, the stream ends within 5 s ' +
          'with a last event `key.revoked` or `key.unscoped` (data: type, dataset, message; when it loses any of the ' +
          'datasets it read at the start); reconnecting with that key is answered 401, or reads its new datasets. A stream opened with an operator key ends the same way with `key.demoted` ' +
          'when the key loses its operator scope; reconnecting reads on as a reader.',
        operationId: 'streamEvents',
        tags: ['events'],
        security: SECURITY,
        querystring: eventsQuery,
        produces: ['text/event-stream'],
        response: {
          200: z.string().describe('the event stream (text/event-stream)'),
          ...KEY_REFUSALS,
        },
      },
    },
    async (request, reply) => {
      const after = resumeId(request.headers['last-event-id'], request.query.last_event_id);
      const key = request.apiKey;
      if (!key) throw new Error('the events route runs behind the key check');
      const datasets = key.datasets.filter(isDataset);
      const res = reply.raw;
      reply.hijack();
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const sent = new Set<number>();
      let replaying = after !== null;
      const pending: DayEvent[] = [];
      const send = (event: DayEvent) => {
        if (!datasets.includes(event.dataset) || sent.has(event.id)) return;
        sent.add(event.id);
        if (sent.size > REMEMBERED_IDS) sent.delete(sent.values().next().value!);
        write(frame(event));
      };
      const write = (text: string) => {
        if (res.destroyed || res.writableEnded) return;
        res.write(text);
        if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
      };
      const unsubscribe = deps.hub.subscribe((event) => {
        if (replaying) pending.push(event);
        else send(event);
      });
      const heartbeat = setInterval(() => write(': heartbeat\n\n'), deps.heartbeatMs);
      // The stream ends when the key loses a dataset it serves (or is revoked); an operator's stream serves the
      // page's controls too: it ends when the key loses the scope.
      const unwatches = datasets.map((dataset) =>
        deps.keyWatch.watch(
          key,
          dataset,
          (loss) => {
            write(keyLossFrame(loss, dataset));
            res.end();
          },
          true,
        ),
      );
      res.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        for (const stop of unwatches) stop();
      });
      write('retry: 3000\n: connected\n\n');
      if (after !== null) {
        try {
          let last = after;
          for (;;) {
            const page = await readDayEventsAfter(deps.pool, last, datasets, REPLAY_PAGE);
            for (const event of page) send(event);
            if (page.length < REPLAY_PAGE || res.destroyed) break;
            last = page[page.length - 1]!.id;
          }
        } catch (error) {
          request.log.error({ err: error }, 'live feed replay failed');
          res.destroy();
          return;
        } finally {
          replaying = false;
        }
        for (const event of pending.splice(0)) send(event);
      }
    },
  );
}
