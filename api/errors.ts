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
