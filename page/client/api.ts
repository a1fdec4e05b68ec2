// The API's /v1 paths with the key the user gave (Authorization: Bearer; never in a URL).
import { rangePieces } from './dayCells';

/** Query parameters; a list repeats its parameter, undefined leaves it out. */
type QueryParams = Record<string, string | string[] | undefined>;

function urlOf(path: string, params: QueryParams): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, item);
  }
  const text = query.toString();
  return `${path}${text ? `?${text}` : ''}`;
}

export class UnauthorizedError extends Error {
  override name = 'UnauthorizedError';
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class Api {
  constructor(
    private readonly key: string,
    private readonly maxRangeDays: number,
  ) {}

  async get<T>(path: string, params: QueryParams = {}): Promise<T> {
    return (await (await this.fetchOk(path, params)).json()) as T;
  }

  /** A day-ranged path over from..to, asked in pieces the API accepts, side by side; rows in order. */
  async getRange<T>(path: string, from: string, to: string, params: QueryParams = {}) {
    const pieces = rangePieces(from, to, this.maxRangeDays);
    const answers = await Promise.all(
      pieces.map(([pieceFrom, pieceTo]) => this.get<T[]>(path, { ...params, from: pieceFrom, to: pieceTo })),
    );
    return answers.flat();
  }

  /**
   * A day-ranged path's CSV over from..to: one request when the API accepts the range at once (its answer as it
   * came), else its pieces' answers joined under the first piece's header.
   */
  async getRangeCsv(path: string, from: string, to: string, params: QueryParams = {}) {
    const pieces = rangePieces(from, to, this.maxRangeDays);
    const answers = await Promise.all(
      pieces.map(async ([pieceFrom, pieceTo]) => {
        const query = { ...params, from: pieceFrom, to: pieceTo, format: 'csv' };
        return (await this.fetchOk(path, query)).text();
      }),
    );
    return answers.map((text, index) => (index === 0 ? text : text.slice(text.indexOf('\n') + 1))).join('');
  }

  /** A JSON POST (the operator's run routes); the answer's JSON, or ApiError with the API's message. */
  async post<T>(path: string, body: unknown, params: QueryParams = {}): Promise<T> {
    const json = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    };
    return (await (await this.fetchOk(path, params, json)).json()) as T;
  }

  /** The answer, with the key; UnauthorizedError for a refused key, ApiError with the API's message otherwise. */
  private async fetchOk(
    path: string,
    params: QueryParams,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Response> {
    const headers = { authorization: `Bearer ${this.key}`, ...init.headers };
    const response = await fetch(urlOf(path, params), { ...init, headers });
    if (response.status === 401) throw new UnauthorizedError('the API refused the key (unknown or revoked)');
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { message?: string } | null;
      throw new ApiError(response.status, body?.message ?? `HTTP ${response.status}`);
    }
    return response;
  }
}
