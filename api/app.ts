import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyServerOptions } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { DatasetPublicationSettings } from '../domain/datasetSource';
import { version } from '../package.json';
import { authHook, KeyStore } from './auth';
import type { DayEventHub } from './eventHub';
import { KeyWatch } from './keyWatch';
import { ResponseCache } from './responseCache';
import { registerConstraintsRoute } from './routes/constraints';
import { registerDatasetsRoute } from './routes/datasets';
import { registerDaysRoute } from './routes/days';
import { registerDifferenceRoute } from './routes/difference';
import { registerEventsRoute } from './routes/events';
import { registerFactRoutes } from './routes/facts';
import { registerHealthRoutes } from './routes/health';
import { type PageSettings, registerPageRoutes } from './routes/page';
import { registerRevisionsRoute } from './routes/revisions';
import { registerRunRoutes } from './routes/runs';
import { registerValuesRoute } from './routes/values';
import { type ApiApp, ApiInputError, badRequest, errorBody } from './routing';
import type { RunControl } from './runControl';
import type { RunningDaysSource } from './runningDays';
import { SeriesCache } from './seriesCache';
import { CurrentDataVersion } from './snapshot';

export interface AppOptions {
  /** Connected as jao_reader. */
  pool: pg.Pool;
  hub: DayEventHub;
  maxRangeDays: number;
  rateLimitPerMinute: number;
  /** Default 15 s. */
  heartbeatMs?: number;
  /** How often open streams' keys are checked again (default KEY_RECHECK_MS). */
  keyRecheckMs?: number;
  /** Temporal's open day workflows (/v1/days/running); null: answered 503. */
  runningDays: RunningDaysSource | null;
  /** Starts runs for operator keys and reads runs and backfills; null: those routes answer 503. */
  runControl?: RunControl | null;
  /** Each dataset's freshness deadline (FRESHNESS_DEADLINES, 1.x's FRESHNESS_DEADLINE); absent: the declared ones. */
  publication?: DatasetPublicationSettings;
  /** The status page at `/`. */
  page: Omit<PageSettings, 'maxRangeDays'>;
  logger: FastifyServerOptions['logger'];
}

const HEARTBEAT_MS = 15_000;

/** The rule a zod issue broke, and the query parameter it names. */
function validationAnswer(error: FastifyError) {
  const first = error.validation?.[0];
  const params = (first?.params ?? {}) as { keys?: string[] };
  if (first?.keyword === 'unrecognized_keys' && params.keys?.[0]) {
    return badRequest(params.keys[0], 'unknown parameter');
  }
  const parameter = first?.instancePath?.split('/').filter(Boolean)[0] ?? 'query';
  const rule = first?.message ?? 'invalid';
  return badRequest(parameter, /received undefined$/.test(rule) ? 'required' : rule);
}

/** The API (docs/design.md §13) on a reader pool; `listen` is the caller's. */
export async function buildApp(options: AppOptions): Promise<ApiApp> {
  const app = Fastify({ logger: options.logger }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('apiKey', null);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) return reply.code(400).send(validationAnswer(error));
    if (error instanceof ApiInputError) return reply.code(400).send(badRequest(error.parameter, error.rule));
    const status = error.statusCode ?? 500;
    if (status < 500) {
      return reply
        .code(status)
        .send({ statusCode: status, error: error.name ?? 'Error', message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody(500, 'the request failed'));
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'jao-scraper API',
        description:
          'JAO Publication Tool datasets as stored by the pipeline: GET /v1/datasets lists them, and ' +
          '/v1/datasets/{dataset}/… serves the values, series and revisions of each (Core maxExchanges, the default, ' +
          'at /v1/datasets/maxExchanges/…); day quality, freshness and backfills of each (`dataset`, Core maxExchanges ' +
          "when absent); an operator key's re-runs, backfills and day runs of each (`dataset`, likewise); a live feed of " +
          "the key's datasets. Delivery days are Europe/Amsterdam dates, MTUs UTC instants (ISO-8601).",
        version,
        // package.json's "UNLICENSED", which npm defines: no licence is granted to use it.
        license: {
          name: 'UNLICENSED (proprietary)',
          url: 'https://docs.npmjs.com/cli/v11/configuring-npm/package-json#license',
        },
      },
      servers: [
        // Relative: resolved against where the document was fetched, so the explorer calls the server it came from.
        { url: '/', description: 'This API, as served at the address you reached it on' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'an API key from `npx jao api-key create`',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const keys = new KeyStore(options.pool);
  app.addHook('onRequest', authHook(keys));
  const keyWatch = new KeyWatch(
    options.pool,
    keys,
    options.hub,
    (line) => app.log.warn(line),
    options.keyRecheckMs,
  );
  app.addHook('onClose', async () => keyWatch.stop());
  await app.register(fastifyRateLimit, {
    global: true,
    hook: 'preHandler',
    max: options.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `key:${request.apiKey?.id ?? 'none'}`,
    allowList: (request) => request.apiKey === null,
  });

  const deps = {
    pool: options.pool,
    hub: options.hub,
    keyWatch,
    seriesCache: new SeriesCache(),
    responses: new ResponseCache(),
    currentVersion: new CurrentDataVersion(options.pool),
    maxRangeDays: options.maxRangeDays,
    heartbeatMs: options.heartbeatMs ?? HEARTBEAT_MS,
    runningDays: options.runningDays,
    runControl: options.runControl ?? null,
  };
  registerHealthRoutes(app, deps);
  registerDatasetsRoute(app, deps);
  registerValuesRoute(app, deps);
  registerConstraintsRoute(app, deps);
  registerRevisionsRoute(app, deps);
  registerDifferenceRoute(app, deps);
  registerDaysRoute(app, deps);
  registerEventsRoute(app, deps);
  registerRunRoutes(app, deps);
  registerFactRoutes(app, deps, options.publication ?? {});
  registerPageRoutes(app, { ...options.page, maxRangeDays: options.maxRangeDays });
  return app;
}
