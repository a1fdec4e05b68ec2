import { z } from 'zod';

/** A request parameter that breaks a rule: answered 400 naming the parameter and the rule. */
export class ApiInputError extends Error {
  override name = 'ApiInputError';
  constructor(
    readonly parameter: string,
    readonly rule: string,
  ) {
    super(`${parameter}: ${rule}`);
  }
}

/** The body of every error answer. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  parameter?: string;
}

export function badRequest(parameter: string, rule: string): ErrorBody {
  return { statusCode: 400, error: 'Bad Request', message: `${parameter}: ${rule}`, parameter };
}

/** ErrorBody as the OpenAPI document shows it. */
export const errorBodySchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  parameter: z.string().optional().describe('the parameter a 400 refused'),
});

/** A parameter the route does not take, or one that breaks its rule. */
export const BAD_REQUEST = errorBodySchema.describe(
  'a parameter breaks a rule, or is not one of the route (`parameter` names it)',
);
/** A key past API_RATE_LIMIT_PER_MINUTE (per key; answered with Retry-After). */
export const TOO_MANY_REQUESTS = errorBodySchema.describe(
  'the key made more requests this minute than the API allows a key (API_RATE_LIMIT_PER_MINUTE); Retry-After says when to try again',
);

/** The refusals of a route any key may call (its datasets decide what it reads). */
export const KEY_REFUSALS = {
  400: BAD_REQUEST,
  401: errorBodySchema.describe('no key, or an unknown or revoked key'),
  403: errorBodySchema.describe('the key reads no declared dataset'),
  429: TOO_MANY_REQUESTS,
};
