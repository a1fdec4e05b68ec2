// What scenario 1 checks through the published ports: the API's days, Prometheus's rules and targets, the Web UI.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { REPOSITORY } from './engine';

/** Polls `check` until it returns a value (not undefined) or `deadlineMs` passes; then throws naming `what`. */
export async function waitFor<T>(
  what: string,
  deadlineMs: number,
  check: () => Promise<T | undefined>,
  everyMs = 2_000,
): Promise<T> {
  const until = Date.now() + deadlineMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > until) throw new Error(`${what}: not within ${deadlineMs / 1000} s (${last})`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

async function getJson(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.json();
}

const dayRows = z.array(z.object({ day: z.string(), status: z.string() }));

/** The days' statuses from the API's /v1/days, with the key. */
export async function daysFromApi(
  apiUrl: (path: string) => string,
  key: string,
  from: string,
  to: string,
): Promise<Map<string, string>> {
  const body = await getJson(apiUrl(`/v1/days?from=${from}&to=${to}`), { authorization: `Bearer ${key}` });
  const rows = dayRows.parse(body);
  return new Map(rows.map((row) => [row.day, row.status]));
}

const rulesFile = z.object({
  groups: z.array(
    z.object({ rules: z.array(z.object({ alert: z.string().optional(), record: z.string().optional() })) }),
  ),
});

/** Every rule name (alert or record) of deploy/prometheus/jao.rules.yml. */
export function projectRuleNames(): string[] {
  const file = rulesFile.parse(
    parse(readFileSync(join(REPOSITORY, 'deploy/prometheus/jao.rules.yml'), 'utf8')),
  );
  return file.groups.flatMap((group) => group.rules.map((rule) => rule.alert ?? rule.record ?? '')).sort();
}

const rulesAnswer = z.object({
  data: z.object({
    groups: z.array(z.object({ rules: z.array(z.object({ name: z.string(), health: z.string() })) })),
  }),
});

export async function loadedRuleNames(prometheusUrl: (path: string) => string): Promise<string[]> {
  const answer = rulesAnswer.parse(await getJson(prometheusUrl('/api/v1/rules')));
  return answer.data.groups.flatMap((group) => group.rules.map((rule) => rule.name)).sort();
}

const targetsAnswer = z.object({
  data: z.object({
    activeTargets: z.array(z.object({ scrapeUrl: z.string(), health: z.string(), lastError: z.string() })),
  }),
});

/** The targets that are not up, as `url: error` lines; empty once every target is up. */
export async function targetsNotUp(prometheusUrl: (path: string) => string): Promise<string[]> {
  const answer = targetsAnswer.parse(await getJson(prometheusUrl('/api/v1/targets')));
  if (answer.data.activeTargets.length === 0) return ['no active targets'];
  return answer.data.activeTargets
    .filter((target) => target.health !== 'up')
    .map((target) => `${target.scrapeUrl}: ${target.health} ${target.lastError}`);
}

const composeFile = z.object({
  services: z.record(z.string(), z.object({ healthcheck: z.object({ test: z.unknown() }).optional() })),
});

/** The services of docker-compose.yml that have a health check. */
export function servicesWithHealthChecks(): string[] {
  const file = composeFile.parse(parse(readFileSync(join(REPOSITORY, 'docker-compose.yml'), 'utf8')));
  return Object.entries(file.services)
    .filter(([, service]) => service.healthcheck !== undefined)
    .map(([name]) => name)
    .sort();
}

const psLine = z.object({ Service: z.string(), Health: z.string() });

/** Each running container's service and health (`docker compose ps`: "healthy", "starting", "unhealthy" or ""). */
export function parseComposePs(stdout: string): Map<string, string> {
  const text = stdout.trim();
  if (text === '') return new Map();
  // Compose prints one JSON object per line (older releases: one array)
  const rows = text.startsWith('[')
    ? z.array(psLine).parse(JSON.parse(text))
    : text.split('\n').map((line) => psLine.parse(JSON.parse(line)));
  return new Map(rows.map((row) => [row.Service, row.Health]));
}

/** Sets the latency the simulator adds to every answer (its control route, through its published port). */
export async function setSimulatorLatency(
  simulatorUrl: (path: string) => string,
  latencyMs: number,
): Promise<void> {
  const response = await fetch(simulatorUrl('/_simulator/faults'), {
    method: 'POST',
    body: JSON.stringify({ latencyMs }),
    headers: { 'content-type': 'application/json' },
  });
  if (!response.ok) throw new Error(`the simulator refused latency ${latencyMs} ms: HTTP ${response.status}`);
}

/**
 * Makes `day` visible in the simulator from now on (its control route, through its published port): tomorrow is
 * published at 08:00 Europe/Amsterdam on the day before, so a run between local midnight and then would find it
 * not published yet, as JAO would have it.
 */
export async function publishInSimulator(simulatorUrl: (path: string) => string, day: string): Promise<void> {
  const response = await fetch(simulatorUrl(`/_simulator/publish?day=${day}`), { method: 'POST' });
  if (!response.ok) throw new Error(`the simulator refused to publish ${day}: HTTP ${response.status}`);
}

/** The compose arguments of `temporal …` from the admin tools image, against the stack's server (what an operator runs). */
export function temporalCliArgs(args: string[]): string[] {
  return [
    'run',
    '--rm',
    '--no-deps',
    '-T',
    '--entrypoint',
    'temporal',
    'temporal-namespace',
    ...args,
    '--address',
    'temporal:7233',
  ];
}
