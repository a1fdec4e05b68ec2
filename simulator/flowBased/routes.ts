// The flow-based data paths, registered beside the declared datasets' (simulator/app.ts): GET and HEAD answered,
// 405 to the other methods, the rate limit and 5xx share of every path, latency, and each request in the log.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type Answer, problem, type QueryParams, transportFault } from '../dataAnswer';
import { datasetServedBy } from '../profiles';
import type { SimulatorState } from '../state';
import { catalogueFor } from './constraints';
import { answerDomainRequest } from './domainAnswer';
import { FLOW_BASED_ENDPOINTS, type FlowBasedEndpoint, flowBasedPathOf } from './endpoints';
import { answerNetPosRequest } from './netPosAnswer';

const DATA_PATH_METHODS = ['GET', 'HEAD', 'DELETE', 'PATCH', 'POST', 'PUT', 'OPTIONS'];

export function sendAnswer(reply: FastifyReply, answer: Answer): FastifyReply {
  reply.code(answer.status).type(answer.contentType);
  if (answer.headers) reply.headers(answer.headers);
  return reply.send(answer.body);
}

export function registerFlowBasedDataRoutes(app: FastifyInstance, state: SimulatorState): void {
  const catalogue = catalogueFor(state.flowBased.seed, state.flowBased.domainShare);
  const answerOf = (endpoint: FlowBasedEndpoint, params: QueryParams, atMs: number): Answer => {
    const fault = transportFault(state, atMs);
    if (fault) return fault;
    const nowMs = state.now().getTime();
    return endpoint === 'netPos'
      ? answerNetPosRequest(state.flowBased, params, nowMs)
      : answerDomainRequest(state.flowBased, catalogue, endpoint, params, nowMs);
  };
  for (const endpoint of FLOW_BASED_ENDPOINTS) {
    // The declared dataset this path answers for (simulator/profiles: netPos is coreNetPos), named in the log.
    const dataset = datasetServedBy(endpoint);
    app.route<{ Querystring: QueryParams }>({
      method: DATA_PATH_METHODS,
      url: flowBasedPathOf(endpoint),
      handler: async (request, reply) => {
        const atMs = Date.now();
        const params = request.query;
        await state.holdForLatency();
        const answer =
          request.method === 'GET' || request.method === 'HEAD'
            ? answerOf(endpoint, params, atMs)
            : problem(405, 'Method Not Allowed', 'only GET');
        state.logRequest({
          at: atMs,
          endpoint,
          ...(dataset === undefined ? {} : { dataset }),
          ...pagingOf(params),
          fromUtc: params.fromutc ?? null,
          toUtc: params.toutc ?? null,
          status: answer.status,
        });
        return sendAnswer(reply, answer);
      },
    });
  }
}

/** `skip` and `take` as asked, for the request log (absent when not asked or not whole numbers). */
function pagingOf(params: QueryParams): { skip?: number; take?: number } {
  const paging: { skip?: number; take?: number } = {};
  for (const name of ['skip', 'take'] as const) {
    const text = params[name];
    if (text !== undefined && /^\d+$/.test(text)) paging[name] = Number(text);
  }
  return paging;
}
