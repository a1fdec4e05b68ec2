// The simulator's HTTP face: the JAO data path and the control routes under /_simulator, over one state.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import { deliveryDayProblem, isDeliveryDay } from '../domain/calendar';
import {
  DATASETS,
  DEFAULT_DATASET,
  dataPathOf,
  declarationOf,
  findDataset,
  type KeyedValueDataset,
  keyedValueDatasets,
  REGIONS,
} from '../domain/datasets';
import { monitoringPathOf } from '../domain/monitoring';
import { type Answer, answerDataRequest, jsonAnswer, problem, type QueryParams } from './dataAnswer';
import { SimulatorInputError } from './faults';
import { registerFlowBasedControlRoutes } from './flowBased/controlRoutes';
import { registerFlowBasedDataRoutes } from './flowBased/routes';
import { answerMonitoringRequest } from './monitoring';
import { generatedProfileOf } from './profiles';
import type { SimulatorState } from './state';

export const CONTROL_PREFIX = '/_simulator';
const CONTROL_BODY_LIMIT = 64 * 1024;
/** The data path answers GET and HEAD (the same headers, no body), and 405 to the other methods. */
const DATA_PATH_METHODS = ['GET', 'HEAD', 'DELETE', 'PATCH', 'POST', 'PUT', 'OPTIONS'];

const datasetParam = z
  .string()
  .optional()
  .transform((text, context) => {
    if (text === undefined) return undefined;
    const dataset = findDataset(text);
    if (dataset === null) {
      context.addIssue({ code: 'custom', message: `unknown dataset (known: ${DATASETS.join(', ')})` });
      return z.NEVER;
    }
    return dataset;
  });

const reviseQuerySchema = z.object({
  day: z.string().refine(isDeliveryDay, { error: (issue) => `day=${deliveryDayProblem(issue.input)}` }),
  dataset: datasetParam,
});

const publishQuerySchema = reviseQuerySchema.extend({
  at: z.iso.datetime({ message: 'expected at=<UTC instant>' }).optional(),
});

/** The version of a day's values after `revisions` revises: 1 as first published, as the store numbers revisions. */
const versionOf = (revisions: number) => revisions + 1;

/** Query parameters by lower-cased name (last one wins), as JAO reads them case-insensitively. */
function lowerCaseParams(search: string): QueryParams {
  const params: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(search)) params[name.toLowerCase()] = value;
  return params;
}

function send(reply: FastifyReply, answer: Answer): FastifyReply {
  reply.code(answer.status).type(answer.contentType);
  if (answer.headers) reply.headers(answer.headers);
  return reply.send(answer.body);
}

type QueryRoute = { Querystring: QueryParams };

export function buildSimulatorApp(state: SimulatorState): FastifyInstance {
  const app: FastifyInstance = Fastify({
    logger: false,
    // Connections waiting on simulated latency end with the simulator.
    forceCloseConnections: true,
    // Only the data path answers HEAD (listed in its methods).
    exposeHeadRoutes: false,
    routerOptions: { querystringParser: lowerCaseParams },
  });

  // Control bodies are read as text whatever their type (curl -d sends a form type) and parsed here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: CONTROL_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    return send(
      reply,
      path.startsWith(`${CONTROL_PREFIX}/`)
        ? problem(404, 'Not Found', `no control route ${request.method} ${path}`)
        : problem(404, 'Not Found', `no route ${path}`),
    );
  });

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error instanceof SimulatorInputError) return send(reply, problem(400, 'Bad Request', error.message));
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return send(reply, problem(400, 'Bad Request', 'body too large'));
    return send(reply, problem(500, 'Internal Server Error', error.message));
  });

  registerDataRoutes(app, state);
  // Core's flow-based domain and net positions: served beside the datasets, not declared as datasets.
  registerFlowBasedDataRoutes(app, state);
  registerMonitoringRoutes(app, state);
  registerControlRoutes(app, state);
  registerFlowBasedControlRoutes(app, state);
  return app;
}

/** One data path per declared dataset, all counted against one rate limit, as JAO counts a client's requests. */
function registerDataRoutes(app: FastifyInstance, state: SimulatorState): void {
  async function answerLogged(
    dataset: KeyedValueDataset,
    params: QueryParams,
    method: string,
  ): Promise<Answer> {
    const atMs = Date.now();
    await state.holdForLatency();
    const answer =
      method === 'GET' || method === 'HEAD'
        ? answerDataRequest(state, params, atMs, dataset)
        : problem(405, 'Method Not Allowed', 'only GET');
    state.logRequest({
      at: atMs,
      dataset,
      fromUtc: params.fromutc ?? null,
      toUtc: params.toutc ?? null,
      status: answer.status,
    });
    return answer;
  }
  // A dataset a flow-based endpoint answers is served on that endpoint's route (registerFlowBasedDataRoutes).
  for (const dataset of keyedValueDatasets().filter((each) => generatedProfileOf(each) !== null)) {
    app.route<QueryRoute>({
      method: DATA_PATH_METHODS,
      url: dataPathOf(declarationOf(dataset)),
      handler: async (request, reply) =>
        send(reply, await answerLogged(dataset, request.query, request.method)),
    });
  }
}

/** JAO's monitoring path, one per region (simulator/monitoring.ts), counted against the same rate limit. */
function registerMonitoringRoutes(app: FastifyInstance, state: SimulatorState): void {
  for (const region of REGIONS) {
    app.get<QueryRoute>(monitoringPathOf(region), async (request, reply) => {
      const atMs = Date.now();
      await state.holdForLatency();
      const answer = answerMonitoringRequest(state, region, request.query, atMs);
      state.logRequest({
        at: atMs,
        monitoring: region,
        fromUtc: request.query.fromutc ?? null,
        toUtc: request.query.toutc ?? null,
        status: answer.status,
      });
      return send(reply, answer);
    });
  }
}

function registerControlRoutes(app: FastifyInstance, state: SimulatorState): void {
  app.get(`${CONTROL_PREFIX}/faults`, async (_request, reply) => send(reply, jsonAnswer(200, state.faults)));

  app.post(`${CONTROL_PREFIX}/faults`, async (request, reply) => {
    const text = typeof request.body === 'string' ? request.body : '';
    let changes: unknown;
    try {
      changes = JSON.parse(text || '{}');
    } catch {
      return send(reply, problem(400, 'Bad Request', 'body is not JSON'));
    }
    return send(reply, jsonAnswer(200, state.setFaults(changes)));
  });

  type DayQuery = z.infer<typeof reviseQuerySchema>;
  /** A control route that acts on one day of one dataset (`?day=YYYY-MM-DD[&dataset=…]`). */
  const dayControl = (path: string, act: (day: DayQuery['day'], dataset: DayQuery['dataset']) => unknown) =>
    app.post<QueryRoute>(`${CONTROL_PREFIX}/${path}`, async (request, reply) => {
      const query = reviseQuerySchema.safeParse({ day: request.query.day, dataset: request.query.dataset });
      if (!query.success) {
        const why = `expected ?day=YYYY-MM-DD[&dataset=…]: ${query.error.issues[0]?.message}`;
        return send(reply, problem(400, 'Bad Request', why));
      }
      return send(reply, jsonAnswer(200, act(query.data.day, query.data.dataset)));
    });

  // `version`: the version of the day's values served from now on, counted as the store counts revisions (1: as
  // first published, +1 per revise), so that a store holding the version before records this one as that revision.
  dayControl('revise', (day, dataset = DEFAULT_DATASET) => ({
    day,
    dataset,
    version: versionOf(state.reviseDay(day, dataset)),
  }));

  dayControl('republish', (day, dataset = DEFAULT_DATASET) => ({
    day,
    dataset,
    lastModified: state.republishDay(day, dataset).toISOString(),
    version: versionOf(state.revisionOf(day, dataset)),
  }));

  for (const action of ['publish', 'unpublish'] as const) {
    app.post<QueryRoute>(`${CONTROL_PREFIX}/${action}`, async (request, reply) => {
      const query = publishQuerySchema.safeParse({
        day: request.query.day,
        at: request.query.at,
        dataset: request.query.dataset,
      });
      if (!query.success) {
        return send(
          reply,
          problem(400, 'Bad Request', 'expected ?day=YYYY-MM-DD[&at=<UTC instant>][&dataset=…]'),
        );
      }
      const { day, at, dataset } = query.data;
      if (action === 'unpublish') state.unpublishDay(day, dataset);
      else state.publishDay(day, at === undefined ? undefined : new Date(at), dataset);
      const from = state.publishedFrom(day, dataset);
      return send(reply, jsonAnswer(200, { day, publishedFrom: from ? from.toISOString() : null }));
    });
  }

  app.get(`${CONTROL_PREFIX}/requests`, async (_request, reply) =>
    send(reply, jsonAnswer(200, state.requests)),
  );

  app.delete(`${CONTROL_PREFIX}/requests`, async (_request, reply) => {
    state.clearRequests();
    return send(reply, jsonAnswer(200, { cleared: true }));
  });
}
