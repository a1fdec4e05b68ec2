// The query of a flow-based request, read as JAO reads it: the half-open window [FromUtc, ToUtc) in any of the
// instant forms clients send, Skip and Take, and the Filter JSON with its keys in any case. Parameter names arrive
// lower-cased (simulator/app.ts).
import type { QueryParams } from '../dataAnswer';

/** The longest window answered: JAO refuses more than two days. */
export const MAX_FLOW_BASED_WINDOW_MS = 2 * 86_400_000;

/** JAO's refusal of a window it does not serve (reversed, empty or longer than two days). */
export const WINDOW_REFUSAL = {
  data: null,
  rejected: true,
  messages: ['Invalid FromUtc/ToUtc range'],
} as const;

/** `…T23:00:00Z`, `….000Z`, `….0000Z`, `…+00:00` (a `+` sent unencoded arrives as a space: read as `+`). */
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+\- ]\d{2}:\d{2})$/;

export type WindowCheck =
  | { kind: 'window'; fromMs: number; toMs: number }
  | { kind: 'unreadable'; detail: string }
  | { kind: 'refused' };

function parseInstant(text: string | undefined): number | null {
  if (text === undefined || !INSTANT_PATTERN.test(text)) return null;
  const epochMs = Date.parse(text.replace(/ (\d{2}:\d{2})$/, '+$1'));
  return Number.isNaN(epochMs) ? null : epochMs;
}

export function parseWindow(params: QueryParams): WindowCheck {
  const fromMs = parseInstant(params.fromutc);
  const toMs = parseInstant(params.toutc);
  if (fromMs === null || toMs === null) {
    return {
      kind: 'unreadable',
      detail: 'FromUtc and ToUtc are required, formatted YYYY-MM-DDTHH:MM:SSZ.',
    };
  }
  if (toMs <= fromMs || toMs - fromMs > MAX_FLOW_BASED_WINDOW_MS) return { kind: 'refused' };
  return { kind: 'window', fromMs, toMs };
}

export interface Paging {
  skip: number;
  /** null: every row from `skip` on. */
  take: number | null;
}

function wholeNumber(text: string | undefined, name: string): number | null | string {
  if (text === undefined || text === '') return null;
  if (!/^\d{1,9}$/.test(text)) return `${name} must be a whole number ≥ 0, got ${JSON.stringify(text)}.`;
  return Number(text);
}

/** Skip and Take, or why they cannot be read. */
export function parsePaging(params: QueryParams): Paging | string {
  const skip = wholeNumber(params.skip, 'Skip');
  if (typeof skip === 'string') return skip;
  const take = wholeNumber(params.take, 'Take');
  if (typeof take === 'string') return take;
  return { skip: skip ?? 0, take };
}

/** The filter as JAO echoes it in `appliedFilter`: camelCase, every key, null where not given. */
export interface DomainFilter {
  presolved: boolean | null;
  cnecName: string | null;
  contingency: string | null;
  tso: string[] | null;
  hubFrom: string[] | null;
  hubTo: string[] | null;
}

const FILTER_KEYS: Readonly<Record<string, keyof DomainFilter>> = {
  presolved: 'presolved',
  // Nordic's names of the same filters.
  nonredundant: 'presolved',
  biddingzonefrom: 'hubFrom',
  biddingzoneto: 'hubTo',
  cnecname: 'cnecName',
  contingency: 'contingency',
  tso: 'tso',
  hubfrom: 'hubFrom',
  hubto: 'hubTo',
};

function parseJsonLeniently(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // An old client sends `{'Presolved':true}`: read single quotes as double ones.
    return JSON.parse(text.replace(/'/g, '"'));
  }
}

/** The Filter parameter (absent: null, no filter), or why it cannot be read. Unknown keys are ignored. */
export function parseFilter(text: string | undefined): DomainFilter | null | string {
  if (text === undefined) return null;
  let raw: unknown;
  try {
    raw = parseJsonLeniently(text);
  } catch {
    return `Filter is not JSON: ${JSON.stringify(text.slice(0, 100))}.`;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'Filter must be a JSON object.';
  const filter: DomainFilter = {
    presolved: null,
    cnecName: null,
    contingency: null,
    tso: null,
    hubFrom: null,
    hubTo: null,
  };
  for (const [name, value] of Object.entries(raw)) {
    const key = FILTER_KEYS[name.toLowerCase()];
    if (key === undefined || value === null) continue;
    if (key === 'presolved') {
      if (typeof value !== 'boolean') return `Filter.${name} must be true, false or null.`;
      filter.presolved = value;
    } else if (key === 'cnecName' || key === 'contingency') {
      if (typeof value !== 'string') return `Filter.${name} must be text or null.`;
      filter[key] = value;
    } else {
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
        return `Filter.${name} must be an array of text or null.`;
      filter[key] = value;
    }
  }
  return filter;
}
