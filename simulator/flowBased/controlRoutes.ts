// The flow-based control routes under /_simulator/flowbased: publish or withhold a day, publish it partially and
// complete it, revise it, arm a count that changes while a client pages, and read a day's state. Each acts on one
// endpoint (`&endpoint=finalComputation`…) or, by default, on every one, and answers the day's state.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { deliveryDayProblem, isDeliveryDay } from '../../domain/calendar';
import { jsonAnswer, problem, type QueryParams } from '../dataAnswer';
import type { SimulatorState } from '../state';
import type { FlowBasedState } from './dayState';
import { DOMAIN_ENDPOINTS, FLOW_BASED_ENDPOINTS, type FlowBasedEndpoint } from './endpoints';
import { sendAnswer } from './routes';

export const FLOW_BASED_CONTROL_PREFIX = '/_simulator/flowbased';

const instant = (name: string) => z.iso.datetime({ message: `expected ${name}=<UTC instant>` }).optional();

const dayQuerySchema = z.object({
  day: z.string().refine(isDeliveryDay, { error: (issue) => `day=${deliveryDayProblem(issue.input)}` }),
  endpoint: z
    .enum(FLOW_BASED_ENDPOINTS, { error: `endpoint= one of ${FLOW_BASED_ENDPOINTS.join(', ')}` })
    .optional(),
  at: instant('at'),
  completeat: instant('completeAt'),
  hours: z
    .string()
    .regex(/^\d{1,2}$/, 'expected hours=<0..24>')
    .transform(Number)
    .pipe(z.number().max(24, 'expected hours=<0..24>'))
    .optional(),
});
type DayQuery = z.infer<typeof dayQuerySchema>;

type Action = (days: FlowBasedState, endpoint: FlowBasedEndpoint, query: DayQuery) => void;

const ACTIONS: Readonly<Record<string, { endpoints: readonly FlowBasedEndpoint[]; act: Action }>> = {
  publish: {
    endpoints: FLOW_BASED_ENDPOINTS,
    act: (days, endpoint, q) =>
      days.publish(endpoint, q.day, q.at === undefined ? undefined : new Date(q.at)),
  },
  unpublish: { endpoints: FLOW_BASED_ENDPOINTS, act: (days, endpoint, q) => days.unpublish(endpoint, q.day) },
  partial: {
    endpoints: FLOW_BASED_ENDPOINTS,
    act: (days, endpoint, q) =>
      days.setPartial(endpoint, q.day, q.hours ?? 0, q.completeat ? new Date(q.completeat) : undefined),
  },
  complete: {
    endpoints: FLOW_BASED_ENDPOINTS,
    act: (days, endpoint, q) => days.completeDay(endpoint, q.day),
  },
  revise: { endpoints: FLOW_BASED_ENDPOINTS, act: (days, endpoint, q) => void days.revise(endpoint, q.day) },
  countChange: {
    endpoints: DOMAIN_ENDPOINTS,
    act: (days, endpoint, q) => days.armCountChange(endpoint, q.day),
  },
};

function readQuery(query: QueryParams): DayQuery | string {
  const parsed = dayQuerySchema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return `${issue?.path.join('.') || 'query'}: ${issue?.message}`;
}

export function registerFlowBasedControlRoutes(app: FastifyInstance, state: SimulatorState): void {
  const days = state.flowBased;

  app.get<{ Querystring: QueryParams }>(FLOW_BASED_CONTROL_PREFIX, async (request, reply) => {
    const query = readQuery(request.query);
    if (typeof query === 'string') return sendAnswer(reply, problem(400, 'Bad Request', query));
    return sendAnswer(reply, jsonAnswer(200, { day: query.day, endpoints: days.summaries(query.day) }));
  });

  for (const [name, { endpoints, act }] of Object.entries(ACTIONS)) {
    app.post<{ Querystring: QueryParams }>(`${FLOW_BASED_CONTROL_PREFIX}/${name}`, async (request, reply) => {
      const query = readQuery(request.query);
      if (typeof query === 'string') return sendAnswer(reply, problem(400, 'Bad Request', query));
      if (name === 'partial' && query.hours === undefined)
        return sendAnswer(reply, problem(400, 'Bad Request', 'expected hours=<0..24>'));
      if (query.endpoint !== undefined && !endpoints.includes(query.endpoint)) {
        const why = `${name} applies to ${endpoints.join(', ')}, not ${query.endpoint}`;
        return sendAnswer(reply, problem(400, 'Bad Request', why));
      }
      const chosen = query.endpoint === undefined ? endpoints : [query.endpoint];
      for (const endpoint of chosen) act(days, endpoint, query);
      const summaries = Object.fromEntries(
        chosen.map((endpoint) => [endpoint, days.summary(endpoint, query.day)]),
      );
      return sendAnswer(reply, jsonAnswer(200, { day: query.day, endpoints: summaries }));
    });
  }
}
