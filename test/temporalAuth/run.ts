// `npm run test:temporal-auth`: jao-scraper against a Temporal that demands TLS, as desks run it. The real Temporal
// server (test/temporalAuth/server.ts) runs in two modes: mTLS (a client certificate signed by the test's CA), and
// API keys (the JWT authorizer, with a key set of the test's own). Over each, with only the connection variables a
// user sets, `jao migrate`, `jao worker`, a three-day `jao backfill --wait`, `jao api` (the days served, the API's
// own Temporal calls answered) and `jao rerun --wait` work, and everything stops cleanly. The same runs through nginx
// (test/temporalAuth/nginxFront.ts) as platform teams expose Temporal: a TLS front (grpc_pass to the API-key server)
// and an mTLS front (`ssl_verify_client on`, grpc_pass to a plaintext dev server).
//
// Then each connection mistake (a wrong, expired, unmatched or X.509 v1 client certificate, none for an mTLS server
// or front, an unknown CA, TLS against a plaintext server and the reverse, a refused API key, a wrong namespace, an
// unreachable host) is run through `jao backfill --wait` (some through `jao worker`): it must exit 1 or 2 with
// exactly one line on stderr naming the setting involved, and for some, saying what it must. No API key and no
// private key may appear in any output of any process, nor in the API's answers.
//
// Certificates and keys are made with openssl in a temporary directory; each server has its own databases and
// ports, and the simulator runs in-process. Exit 0 when every check passed.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { Cleanup } from '../../bench/cleanup';
import { freePort } from '../../common/ports';
import { startDevServer } from '../../devstack/devServer';
import { daysInRange } from '../../domain/calendar';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import { BUNDLE_FILE, writeWorkflowBundle } from '../../workers/workflowBundle';
import { generateCertificates, privateKeyMarkers, type TestCertificates } from '../helpers/certificates';
import { databaseUrlFor, dropDatabase, quoteIdent, withAdminClient } from '../helpers/postgres';
import { type JaoProcess, REPO_ROOT, runJao, spawnJao, stopProcess } from '../helpers/processes';
import { type ApiKeyIssuer, startApiKeyIssuer } from './apiKeys';
import { ensureNginx, type NginxFront, startNginxFront } from './nginxFront';
import { ADD_SEARCH_ATTRIBUTES, startRefusingProxy, UPDATE_TASK_QUEUE_CONFIG } from './refusingProxy';
import { SERVER_NAME, startApiKeyServer, startMtlsServer, type TemporalAuthServer } from './server';

const say = (line: string) => console.log(`test:temporal-auth: ${line}`);
const cleanup = new Cleanup('test:temporal-auth');

/** Three delivery days the simulator publishes, backfilled over each server; the middle one is revised and re-run. */
const FROM = '2026-01-05';
const TO = '2026-01-07';
const RERUN_DAY = '2026-01-06';
const BORDER = 'AT_BE';
const NAMESPACE = 'jao-tls';
const PROCESS_READY_MS = 120_000;
const COMMAND_TIMEOUT_MS = 120_000;
/** A mistake must be reported well within this (a connection attempt is bounded by a few seconds). */
const MISTAKE_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
/** Mistakes run this many at a time: most of their time is a connection attempt's wait. */
const MISTAKE_PARALLELISM = 4;

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}
const checks: Check[] = [];
function check(name: string, ok: boolean, detail: string): boolean {
  checks.push({ name, ok, detail });
  say(`${ok ? 'PASS' : 'FAIL'} ${name}: ${detail}`);
  return ok;
}

/** Runs `work`, printing how long it took. */
async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    say(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** Every output a jao process printed, and every API answer: none may hold a secret. */
const outputs: { label: string; text: string }[] = [];

/** code null: killed at its deadline. */
type CliResult = Awaited<ReturnType<typeof runJao>>;

/**
 * `node bin/jao.js …` to its end ('close': its pipes drained), killed after `timeoutMs`; stdout and stderr apart,
 * as a person reads them (test/helpers/processes.ts runJao, with a deadline).
 */
async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = COMMAND_TIMEOUT_MS,
): Promise<CliResult> {
  const result = await runJao(args, env, REPO_ROOT, timeoutMs);
  outputs.push({ label: `jao ${args.join(' ')}`, text: result.stdout + result.stderr });
  return result;
}

async function runOk(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runCli(args, env);
  if (result.code !== 0) {
    throw new Error(
      `jao ${args.join(' ')} exited with ${result.code ?? 'killed'}:\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

/** A long-running jao process, killed by `owner` if the test does not stop it itself. */
async function startJao(
  owner: Cleanup,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<JaoProcess> {
  const child = spawnJao(args, env);
  const label = `jao ${args.join(' ')}`;
  owner.add(label, () => stopProcess(child, 'SIGKILL'));
  child.exited.then(() => outputs.push({ label, text: child.output() }));
  await child.waitFor(ready, PROCESS_READY_MS);
  return child;
}

/** SIGTERM, as a supervisor stops it; true when it exited 0 within STOP_TIMEOUT_MS. */
async function stopCleanly(child: JaoProcess): Promise<{ ok: boolean; detail: string }> {
  const started = performance.now();
  child.child.kill('SIGTERM');
  const outcome = await Promise.race([
    child.exited.then((code) => ({ code })),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), STOP_TIMEOUT_MS).unref()),
  ]);
  if (outcome === null) {
    await stopProcess(child, 'SIGKILL');
    return { ok: false, detail: `still running ${STOP_TIMEOUT_MS / 1000} s after SIGTERM` };
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return { ok: outcome.code === 0, detail: `exit ${outcome.code} after ${seconds} s` };
}

/**
 * What every jao process gets besides the connection variables: its database, the simulator, and its own ports and
 * data directory. Every TEMPORAL_* variable of the runner's environment is removed, and no Temporal CLI profile file
 * is found (XDG_CONFIG_HOME is empty): the connection settings are only those a case names.
 */
function baseEnv(databaseUrl: string, simulator: SimulatorHandle, workDir: string): NodeJS.ProcessEnv {
  const cleared = Object.fromEntries(
    Object.keys(process.env)
      .filter((name) => name.startsWith('TEMPORAL_'))
      .map((name) => [name, undefined]),
  );
  const xdg = join(workDir, 'xdg');
  mkdirSync(xdg, { recursive: true });
  return {
    ...cleared,
    XDG_CONFIG_HOME: xdg,
    DATABASE_URL: databaseUrl,
    JAO_BASE_URL: simulator.origin,
    // The subject is the connection: one dataset's schedules, not thirty-seven datasets' polls in the budget.
    JAO_DATASETS: 'maxExchanges',
    METRICS_PORT: '0',
    JAO_DATA_DIR: join(workDir, 'data'),
  };
}

/** The variables a user sets for each server, as Temporal Cloud documents them (the CA: the test's is no system CA). */
function connectionEnv(server: TemporalAuthServer, certificates: TestCertificates): NodeJS.ProcessEnv {
  const common = {
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: server.namespace,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.ca.cert,
  };
  if (server.mode === 'mtls') {
    return {
      ...common,
      TEMPORAL_TLS_CLIENT_CERT_PATH: certificates.client.cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: certificates.client.key,
    };
  }
  return { ...common, TEMPORAL_API_KEY: server.apiKeys!.writer };
}

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  cleanup.add(`database ${name}`, () => dropDatabase(adminUrl, name));
  return databaseUrlFor(adminUrl, name);
}

async function apiGet(url: string, key: string, label: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${key}` },
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  outputs.push({ label: `API ${label}`, text });
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // kept as text
  }
  return { status: response.status, body };
}

/** The last line of `text` (matching `pattern`), for a check's detail. */
function lastLine(text: string, pattern = /\S/): string | undefined {
  return text
    .split('\n')
    .filter((line) => pattern.test(line))
    .at(-1)
    ?.trim();
}

interface ValueRow {
  mtu: string;
  delivery_day: string;
  value_mw: number;
}

/** Values of `from..to` on BORDER that differ from what the simulator publishes now, and how many were served. */
async function servedValues(
  apiUrl: string,
  key: string,
  simulator: SimulatorHandle,
  from: string,
  to: string,
): Promise<{ status: number; rows: number; wrong: number; days: string[] }> {
  const { status, body } = await apiGet(
    `${apiUrl}/v1/datasets/maxExchanges/values?from=${from}&to=${to}&border=${BORDER}`,
    key,
    `values ${from}..${to}`,
  );
  const rows = status === 200 && Array.isArray(body) ? (body as ValueRow[]) : [];
  const wrong = rows.filter(
    (row) =>
      row.value_mw !==
      simulator.expectedValue(row.delivery_day, `border_${BORDER}`, new Date(row.mtu).toISOString()),
  ).length;
  return { status, rows: rows.length, wrong, days: [...new Set(rows.map((row) => row.delivery_day))].sort() };
}

interface ScenarioContext {
  server: TemporalAuthServer;
  /** The scenario's name in its lines: the server's mode, or what stands in front of it. */
  name?: string;
  /** Settings of the scenario's own besides the connection's (e.g. a task queue no earlier scenario used). */
  env?: NodeJS.ProcessEnv;
  /** A line the worker must log once it runs (e.g. which JAO budget it keeps). */
  workerSays?: { check: string; pattern: RegExp };
  certificates: TestCertificates;
  simulator: SimulatorHandle;
  adminUrl: string;
  workDir: string;
  bundlePath: string;
}

/**
 * Migrate, worker, backfill, API, re-run and a clean stop over one server, with the user's variables alone. A
 * failure is a failed check, and its processes are stopped: the other scenario and the mistakes still run.
 */
async function scenario(context: ScenarioContext): Promise<void> {
  const own = new Cleanup(`test:temporal-auth ${context.server.mode}`);
  const stopOwn = cleanup.add(`${context.server.mode} scenario`, () => own.runAll());
  try {
    await scenarioSteps(context, own);
  } catch (error) {
    check(
      `${context.server.mode}: the scenario ran to its end`,
      false,
      error instanceof Error ? error.message : String(error),
    );
  } finally {
    await stopOwn();
  }
}

async function scenarioSteps(context: ScenarioContext, own: Cleanup): Promise<void> {
  const { server, certificates, simulator } = context;
  const mode = context.name ?? server.mode;
  const label = (text: string) => `${mode}: ${text}`;
  const slug = mode.toLowerCase().replace(/\W+/g, '_');
  const databaseUrl = await createDatabase(
    context.adminUrl,
    `jao_tls_${slug}_${randomBytes(3).toString('hex')}`,
  );
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(databaseUrl, simulator, join(context.workDir, slug)),
    ...connectionEnv(server, certificates),
    API_PORT: String(apiPort),
    WORKFLOW_BUNDLE_PATH: context.bundlePath,
    ...context.env,
  };
  say(
    `${mode}: jao with ${Object.keys(connectionEnv(server, certificates)).join(', ')} (and DATABASE_URL, JAO_BASE_URL)`,
  );

  await timed(label('jao migrate'), () => runOk(['migrate'], env));
  const worker = await timed(label('jao worker ready'), () =>
    startJao(own, ['worker'], env, /worker polling task queue/),
  );
  if (context.workerSays) {
    const line = worker
      .output()
      .split('\n')
      .find((text) => context.workerSays!.pattern.test(text));
    check(label(context.workerSays.check), line !== undefined, line?.slice(0, 400) ?? 'no such line');
  }
  const backfill = await timed(label(`jao backfill ${FROM}..${TO} --wait`), () =>
    runCli(['backfill', '--from', FROM, '--to', TO, '--wait'], env),
  );
  const days = daysInRange(FROM, TO).length;
  check(
    label('the backfill completes'),
    backfill.code === 0 && new RegExp(`finished: ${days} days; complete ${days}`).test(backfill.stdout),
    `exit ${backfill.code}: ${lastLine(backfill.stdout, /finished/) ?? lastLine(backfill.stderr)}`,
  );

  const key = (await runOk(['api-key', 'create', '--name', `tls-${slug}`, '--operator'], env)).trim();
  const api = await timed(label('jao api ready'), () => startJao(own, ['api'], env, /listening on/));
  const served = await servedValues(apiUrl, key, simulator, FROM, TO);
  check(
    label('the API serves the backfilled days'),
    served.status === 200 && served.rows === 24 * days && served.wrong === 0,
    `GET values ${served.status}: ${served.rows} values of ${served.days.join(', ')}, ${served.wrong} not the ones published`,
  );
  const runs = await apiGet(`${apiUrl}/v1/days/${RERUN_DAY}/runs`, key, 'day runs');
  check(
    label("the API's Temporal calls connect (GET /v1/days/:day/runs)"),
    runs.status === 200 && Array.isArray(runs.body) && runs.body.length >= 1,
    `${runs.status}: ${Array.isArray(runs.body) ? `${runs.body.length} run(s)` : JSON.stringify(runs.body).slice(0, 300)}`,
  );

  simulator.reviseDay(RERUN_DAY);
  const rerun = await timed(label(`jao rerun ${RERUN_DAY} --wait`), () =>
    runCli(['rerun', RERUN_DAY, '--wait'], env),
  );
  const revised = await servedValues(apiUrl, key, simulator, RERUN_DAY, RERUN_DAY);
  check(
    label('a re-run of a revised day stores and serves its new values'),
    rerun.code === 0 && revised.status === 200 && revised.rows === 24 && revised.wrong === 0,
    `rerun exit ${rerun.code} (${lastLine(rerun.stdout) ?? lastLine(rerun.stderr)}); GET values ${revised.status}: ` +
      `${revised.rows} values, ${revised.wrong} not the revised ones`,
  );

  const apiStop = await stopCleanly(api);
  check(label('jao api stops cleanly on SIGTERM'), apiStop.ok, apiStop.detail);
  const workerStop = await stopCleanly(worker);
  check(label('jao worker stops cleanly on SIGTERM'), workerStop.ok, workerStop.detail);
}

interface Mistake {
  name: string;
  /** The connection variables of the case (besides DATABASE_URL and JAO_BASE_URL). */
  env: NodeJS.ProcessEnv;
  /** The setting the one line must name. */
  names: RegExp;
  /** What the one line must say, where the wording matters. */
  says?: RegExp;
  /** The command that meets the mistake: `jao backfill --wait` when absent. */
  command?: string[];
}

/** The line for a server or front that wants a client certificate and got none, whatever answers the handshake. */
const CLIENT_CERTIFICATE_REQUIRED =
  /Temporal at 127\.0\.0\.1:\d+ \(TEMPORAL_ADDRESS\) requires a client certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH$/;
/** The line for a certificate the server or front does not trust. */
const CLIENT_CERTIFICATE_REFUSED =
  /Temporal at 127\.0\.0\.1:\d+ refused the client certificate of TEMPORAL_TLS_CLIENT_CERT_PATH: it is not signed by a CA the server trusts/;
/** The line for an X.509 v1 client certificate, which the worker's TLS (rustls) refuses: before any connection. */
const V1_CERTIFICATE =
  /the client certificate of TEMPORAL_TLS_CLIENT_CERT_PATH is an X\.509 v1 certificate, which the worker's TLS \(rustls\) does not take: re-issue it as an X\.509 v3 certificate/;

/** Where nginx stands in front of Temporal: the addresses and connection variables of each front. */
interface Fronts {
  /** TLS only, grpc_pass to the API-key server: the API key passes through. */
  tls: { front: NginxFront; server: TemporalAuthServer };
  /** `ssl_verify_client on` with the test's CA, grpc_pass to the plaintext dev server. */
  mtls: { front: NginxFront; server: TemporalAuthServer };
}

function mistakes(
  certificates: TestCertificates,
  mtls: TemporalAuthServer,
  apiKey: TemporalAuthServer,
  issuer: ApiKeyIssuer,
  plaintextAddress: string,
  nobodyAddress: string,
  workDir: string,
  fronts: Fronts,
  bundlePath: string,
): Mistake[] {
  const mtlsEnv = connectionEnv(mtls, certificates);
  const keyEnv = connectionEnv(apiKey, certificates);
  const mtlsFrontEnv = connectionEnv(fronts.mtls.server, certificates);
  const v1 = {
    TEMPORAL_TLS_CLIENT_CERT_PATH: certificates.v1Client.cert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: certificates.v1Client.key,
  };
  const writerOf = (namespace: string) => [`${namespace}:write`];
  return [
    {
      name: 'nginx mTLS front: no client certificate',
      env: {
        ...mtlsFrontEnv,
        TEMPORAL_TLS_CLIENT_CERT_PATH: undefined,
        TEMPORAL_TLS_CLIENT_KEY_PATH: undefined,
      },
      names: /TEMPORAL_TLS_CLIENT_CERT_PATH/,
      says: CLIENT_CERTIFICATE_REQUIRED,
    },
    {
      name: 'nginx mTLS front: no client certificate (jao worker)',
      env: {
        ...mtlsFrontEnv,
        TEMPORAL_TLS_CLIENT_CERT_PATH: undefined,
        TEMPORAL_TLS_CLIENT_KEY_PATH: undefined,
        WORKFLOW_BUNDLE_PATH: bundlePath,
      },
      names: /TEMPORAL_TLS_CLIENT_CERT_PATH/,
      says: CLIENT_CERTIFICATE_REQUIRED,
      command: ['worker'],
    },
    {
      name: 'nginx mTLS front: client certificate signed by another CA',
      env: {
        ...mtlsFrontEnv,
        TEMPORAL_TLS_CLIENT_CERT_PATH: certificates.otherClient.cert,
        TEMPORAL_TLS_CLIENT_KEY_PATH: certificates.otherClient.key,
      },
      names: /TEMPORAL_TLS_CLIENT_CERT_PATH/,
      says: CLIENT_CERTIFICATE_REFUSED,
    },
    {
      name: 'nginx mTLS front: X.509 v1 client certificate (jao backfill)',
      env: { ...mtlsFrontEnv, ...v1 },
      names: /TEMPORAL_TLS_CLIENT_CERT_PATH/,
      says: V1_CERTIFICATE,
    },
    {
      name: 'nginx mTLS front: X.509 v1 client certificate (jao worker)',
      env: { ...mtlsFrontEnv, ...v1, WORKFLOW_BUNDLE_PATH: bundlePath },
      names: /TEMPORAL_TLS_CLIENT_CERT_PATH/,
      says: V1_CERTIFICATE,
      command: ['worker'],
    },
    {
      // Nothing listens there: the line can only be the certificate's if it is refused before connecting.
      name: 'X.509 v1 client certificate, refused before connecting',
      env: { ...mtlsEnv, ...v1, TEMPORAL_ADDRESS: nobodyAddress },
      names: /TEMPORAL_TLS_CLIENT_CERT_PATH/,
      says: V1_CERTIFICATE,
    },
    {
      name: 'nginx TLS front: server CA not given',
      env: { ...connectionEnv(fronts.tls.server, certificates), TEMPORAL_TLS_SERVER_CA_CERT_PATH: undefined },
      names: /TEMPORAL_TLS_SERVER_CA_CERT_PATH/,
    },
    {
      name: 'client certificate signed by another CA',
      env: {
        ...mtlsEnv,
        TEMPORAL_TLS_CLIENT_CERT_PATH: certificates.otherClient.cert,
        TEMPORAL_TLS_CLIENT_KEY_PATH: certificates.otherClient.key,
      },
      names: /TEMPORAL_TLS_CLIENT_CERT_PATH/,
    },
    {
      name: 'expired client certificate',
      env: {
        ...mtlsEnv,
        TEMPORAL_TLS_CLIENT_CERT_PATH: certificates.expiredClient.cert,
        TEMPORAL_TLS_CLIENT_KEY_PATH: certificates.expiredClient.key,
      },
      names: /TEMPORAL_TLS_CLIENT_CERT_PATH/,
    },
    {
      name: 'client key that does not match the certificate',
      env: { ...mtlsEnv, TEMPORAL_TLS_CLIENT_KEY_PATH: certificates.strayKey },
      names: /TEMPORAL_TLS_CLIENT_KEY_PATH/,
    },
    {
      name: 'no client certificate for an mTLS server',
      env: { ...mtlsEnv, TEMPORAL_TLS_CLIENT_CERT_PATH: undefined, TEMPORAL_TLS_CLIENT_KEY_PATH: undefined },
      names: /TEMPORAL_TLS_CLIENT_CERT_PATH/,
      says: CLIENT_CERTIFICATE_REQUIRED,
    },
    {
      name: 'client certificate file missing',
      env: { ...mtlsEnv, TEMPORAL_TLS_CLIENT_CERT_PATH: join(workDir, 'no-such-cert.pem') },
      names: /TEMPORAL_TLS_CLIENT_CERT_PATH/,
    },
    {
      name: 'server CA not given (its CA is no system CA)',
      env: { ...mtlsEnv, TEMPORAL_TLS_SERVER_CA_CERT_PATH: undefined },
      names: /TEMPORAL_TLS_SERVER_CA_CERT_PATH/,
    },
    {
      name: 'wrong server CA given',
      env: { ...mtlsEnv, TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.otherCa.cert },
      names: /TEMPORAL_TLS_SERVER_CA_CERT_PATH/,
    },
    {
      name: 'server name not in the server certificate',
      env: { ...mtlsEnv, TEMPORAL_TLS_SERVER_NAME: 'wrong.example' },
      names: /TEMPORAL_TLS_SERVER_NAME/,
    },
    {
      name: 'plaintext client against the TLS server',
      env: { TEMPORAL_ADDRESS: mtls.address, TEMPORAL_NAMESPACE: mtls.namespace },
      names: /TEMPORAL_TLS/,
    },
    {
      name: 'wrong namespace (mTLS)',
      env: { ...mtlsEnv, TEMPORAL_NAMESPACE: 'no-such-namespace' },
      names: /TEMPORAL_NAMESPACE/,
    },
    {
      name: 'API key with a bad signature',
      env: {
        ...keyEnv,
        TEMPORAL_API_KEY: issuer.signWithForeignKey({ sub: 'jao', permissions: writerOf(apiKey.namespace) }),
      },
      names: /TEMPORAL_API_KEY/,
    },
    {
      name: 'expired API key',
      env: {
        ...keyEnv,
        TEMPORAL_API_KEY: issuer.sign({
          sub: 'jao',
          permissions: writerOf(apiKey.namespace),
          expiresInSeconds: -60,
        }),
      },
      names: /TEMPORAL_API_KEY/,
    },
    {
      name: 'API key for another namespace',
      env: { ...keyEnv, TEMPORAL_NAMESPACE: 'no-such-namespace' },
      names: /TEMPORAL_NAMESPACE/,
    },
    {
      name: 'API key, server CA not given',
      env: { ...keyEnv, TEMPORAL_TLS_SERVER_CA_CERT_PATH: undefined },
      names: /TEMPORAL_TLS_SERVER_CA_CERT_PATH/,
    },
    {
      name: 'TLS client against a plaintext server',
      env: {
        TEMPORAL_ADDRESS: plaintextAddress,
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TLS: 'true',
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.ca.cert,
      },
      names: /TEMPORAL_TLS/,
    },
    {
      name: 'API key against a server without TLS',
      env: {
        TEMPORAL_ADDRESS: plaintextAddress,
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_API_KEY: apiKey.apiKeys!.writer,
      },
      names: /TEMPORAL_API_KEY|TEMPORAL_TLS/,
    },
    {
      name: 'unreachable host (nothing listens)',
      env: { ...mtlsEnv, TEMPORAL_ADDRESS: nobodyAddress },
      names: /TEMPORAL_ADDRESS/,
    },
    {
      name: 'unreachable host (the name does not resolve)',
      env: { ...mtlsEnv, TEMPORAL_ADDRESS: 'temporal.invalid:7233' },
      names: /TEMPORAL_ADDRESS/,
    },
  ];
}

/** Each mistake with the line it printed, in the order of mistakes(). */
const mistakeLines = new Map<string, string>();

async function runMistake(mistake: Mistake, base: NodeJS.ProcessEnv): Promise<void> {
  const started = performance.now();
  const result = await runCli(
    mistake.command ?? ['backfill', '--from', FROM, '--to', FROM, '--wait'],
    { ...base, ...mistake.env },
    MISTAKE_TIMEOUT_MS,
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  const problems: string[] = [];
  if (result.code !== 1 && result.code !== 2)
    problems.push(`exit ${result.code ?? 'killed'}, expected 1 or 2`);
  if (lines.length !== 1) problems.push(`${lines.length} lines on stderr, expected 1`);
  if (lines.length >= 1 && !mistake.names.test(result.stderr))
    problems.push(`does not name ${mistake.names}`);
  if (lines.length === 1 && mistake.says && !mistake.says.test(lines[0]!))
    problems.push(`does not say ${mistake.says}`);
  mistakeLines.set(
    mistake.name,
    `exit ${result.code ?? 'killed'}: ${lines.join(' ⏎ ') || '(nothing on stderr)'}`,
  );
  check(
    `mistake: ${mistake.name}`,
    problems.length === 0,
    `${problems.length ? `${problems.join('; ')}; ` : ''}exit ${result.code ?? 'killed'} in ${seconds} s: ` +
      (lines.length === 1 ? lines[0]! : JSON.stringify(result.stderr.slice(-1500))) +
      (result.stdout.trim() ? ` [stdout: ${JSON.stringify(result.stdout.trim().slice(-300))}]` : ''),
  );
}

/**
 * The two nginx fronts, each stopped by the run's cleanup: TLS before the API-key server (its key passes through),
 * mTLS before the plaintext dev server (its namespace). Each scenario and mistake sees a TemporalAuthServer whose
 * address is the front's, and whose mode says which variables a user sets.
 */
async function startFronts(
  certificates: TestCertificates,
  apiKey: TemporalAuthServer,
  mtls: TemporalAuthServer,
  plaintext: { address: string; namespace: string },
  workDir: string,
): Promise<Fronts> {
  const start = async (name: string, options: Parameters<typeof startNginxFront>[0]) => {
    const front = await startNginxFront(options);
    cleanup.add(`nginx ${name} front`, () => front.close());
    say(`nginx ${name} front at ${front.address} → ${options.target}`);
    return front;
  };
  const [tlsFront, mtlsFront] = await Promise.all([
    start('TLS', {
      target: apiKey.address,
      targetServerName: SERVER_NAME,
      certificates,
      requireClientCertificate: false,
      dir: join(workDir, 'nginx-tls'),
    }),
    start('mTLS', {
      target: plaintext.address,
      certificates,
      requireClientCertificate: true,
      dir: join(workDir, 'nginx-mtls'),
    }),
  ]);
  return {
    tls: { front: tlsFront, server: { ...apiKey, address: tlsFront.address } },
    mtls: {
      front: mtlsFront,
      server: { ...mtls, address: mtlsFront.address, namespace: plaintext.namespace },
    },
  };
}

/** No API key and no private-key text in any output or answer. */
function checkSecrets(secrets: string[]): void {
  const leaks = outputs.flatMap(({ label, text }) => {
    const found = secrets.filter((secret) => text.includes(secret)).length;
    const pem = /PRIVATE KEY/.test(text);
    return found > 0 || pem
      ? [`${label} (${found} secret(s)${pem ? ', a PEM private key header' : ''})`]
      : [];
  });
  check(
    'no API key or private key in any output of any process, nor in the API answers',
    leaks.length === 0,
    leaks.length
      ? `found in: ${leaks.join('; ')}`
      : `${outputs.length} outputs and answers searched for ${secrets.length} secrets`,
  );
}

/**
 * A namespace someone else registered without the project's search attributes, and a key that may not add them:
 * the worker stops at start-up with one line naming each, with the commands that add them.
 */
async function missingSearchAttributes(
  server: TemporalAuthServer,
  issuer: ApiKeyIssuer,
  certificates: TestCertificates,
  simulator: SimulatorHandle,
  adminUrl: string,
  workDir: string,
): Promise<void> {
  const namespace = 'jao-bare';
  const admin = await Connection.connect(server.adminConnectionOptions);
  try {
    await admin.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
  } finally {
    await admin.close();
  }
  const databaseUrl = await createDatabase(adminUrl, `jao_tls_bare_${randomBytes(3).toString('hex')}`);
  const key = issuer.sign({ sub: 'jao-test-bare-writer', permissions: [`${namespace}:write`] });
  const env = {
    ...baseEnv(databaseUrl, simulator, join(workDir, 'bare')),
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.ca.cert,
    TEMPORAL_API_KEY: key,
  };
  // The namespace cache of the server's frontend takes up to a second to know the new namespace.
  let worker = await runCli(['worker'], env, MISTAKE_TIMEOUT_MS);
  for (let tries = 0; tries < 10 && /does not exist/.test(worker.stderr); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    worker = await runCli(['worker'], env, MISTAKE_TIMEOUT_MS);
  }
  const lines = worker.stderr.split('\n').filter((line) => line.trim());
  check(
    'a namespace without the search attributes: the worker stops with one line naming them and the commands',
    worker.code === 2 &&
      lines.length === 1 &&
      /DayStatus/.test(lines[0]!) &&
      /tcld namespace search-attributes add/.test(lines[0]!) &&
      /temporal operator search-attribute create/.test(lines[0]!),
    `exit ${worker.code}: ${lines.join(' | ').slice(0, 600)}`,
  );
  mistakeLines.set('namespace without the search attributes (jao worker)', lines.join(' | '));
}

async function main(): Promise<void> {
  const began = performance.now();
  const adminUrl = databaseUrlFor(
    process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    'postgres',
  );
  const workDir = mkdtempSync(join(tmpdir(), 'jao-temporal-auth-'));
  cleanup.add('work directory', () => rmSync(workDir, { recursive: true, force: true }));
  for (const sub of ['certs', 'mtls-server', 'apikey-server', 'bundle']) mkdirSync(join(workDir, sub));

  say(await timed('nginx (scripts/ensure-nginx.sh)', ensureNginx));
  const certificates = await timed('certificates (openssl)', () =>
    generateCertificates(join(workDir, 'certs')),
  );
  const issuer = await startApiKeyIssuer();
  cleanup.add('key set server', () => issuer.close());
  const simulator = await startSimulator({ port: 0 });
  cleanup.add('simulator', () => simulator.close());

  // Both servers (databases, schemas, start-up), the dev server and the workflow bundle at once.
  const [mtls, apiKey, plaintext] = await timed('servers up (mTLS, API key, plaintext dev server)', () =>
    Promise.all([
      startMtlsServer({
        certificates,
        adminDatabaseUrl: adminUrl,
        namespace: NAMESPACE,
        workDir: join(workDir, 'mtls-server'),
        log: say,
      }).then((server) => {
        cleanup.add('mTLS server', () => server.stop());
        return server;
      }),
      startApiKeyServer({
        certificates,
        adminDatabaseUrl: adminUrl,
        namespace: NAMESPACE,
        workDir: join(workDir, 'apikey-server'),
        issuer,
        log: say,
      }).then((server) => {
        cleanup.add('API-key server', () => server.stop());
        return server;
      }),
      freePort()
        .then((port) => startDevServer({ port, log: say }))
        .then((server) => {
          cleanup.add('dev server', () => server.stop());
          return server;
        }),
      writeWorkflowBundle(join(workDir, 'bundle')),
    ]),
  );
  const bundlePath = join(workDir, 'bundle', BUNDLE_FILE);
  const fronts = await timed('nginx fronts up (TLS, mTLS)', () =>
    startFronts(certificates, apiKey, mtls, plaintext, workDir),
  );

  for (const server of [mtls, apiKey]) {
    await timed(`${server.mode} scenario`, () =>
      scenario({ server, certificates, simulator, adminUrl, workDir, bundlePath }),
    );
  }

  // A namespace managed by others (Temporal Cloud, a platform team): the key may run workflows but neither add search
  // attributes (the writer role) nor set the task queue's rate limit (refused by a proxy in front of the server).
  const proxy = await startRefusingProxy({
    target: apiKey.address,
    certificates,
    refuse: [UPDATE_TASK_QUEUE_CONFIG, ADD_SEARCH_ATTRIBUTES],
  });
  cleanup.add('refusing proxy', () => proxy.close());
  await timed('managed-namespace scenario', () =>
    scenario({
      server: { ...apiKey, address: proxy.address },
      name: 'managed namespace',
      // A task queue of its own: the API-key scenario set its queue's limit, which this worker would agree with.
      env: { TEMPORAL_TASK_QUEUE: 'jao-managed' },
      workerSays: {
        check: 'the worker keeps its share of the JAO budget where the task queue limit is refused',
        pattern: /requests\/minute for this worker, its share of JAO_MAX_REQUESTS_PER_MINUTE/,
      },
      certificates,
      simulator,
      adminUrl,
      workDir,
      bundlePath,
    }),
  );
  const refused = proxy.refused();
  check(
    'managed namespace: the worker tried the task queue limit, and was refused',
    (refused[UPDATE_TASK_QUEUE_CONFIG] ?? 0) > 0,
    JSON.stringify(refused),
  );

  // nginx in front: the worker, the CLI and the API connect through it with the variables of what stands behind.
  for (const [name, { server }, taskQueue] of [
    ['nginx TLS front', fronts.tls, 'jao-nginx-tls'],
    ['nginx mTLS front', fronts.mtls, 'jao-nginx-mtls'],
  ] as const) {
    await timed(`${name} scenario`, () =>
      scenario({
        server,
        name,
        env: { TEMPORAL_TASK_QUEUE: taskQueue },
        certificates,
        simulator,
        adminUrl,
        workDir,
        bundlePath,
      }),
    );
  }

  await timed('a namespace without the search attributes', () =>
    missingSearchAttributes(apiKey, issuer, certificates, simulator, adminUrl, workDir),
  );

  const mistakeDatabase = await createDatabase(
    adminUrl,
    `jao_tls_mistakes_${randomBytes(3).toString('hex')}`,
  );
  const base = baseEnv(mistakeDatabase, simulator, join(workDir, 'mistakes'));
  const nobodyAddress = `127.0.0.1:${await freePort()}`;
  const cases = mistakes(
    certificates,
    mtls,
    apiKey,
    issuer,
    plaintext.address,
    nobodyAddress,
    workDir,
    fronts,
    bundlePath,
  );
  await timed(`${cases.length} mistakes`, async () => {
    const queue = [...cases];
    await Promise.all(
      Array.from({ length: MISTAKE_PARALLELISM }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await runMistake(next, base);
      }),
    );
  });

  say('each mistake and what it printed:');
  for (const mistake of cases) say(`  ${mistake.name} → ${mistakeLines.get(mistake.name) ?? '(not run)'}`);

  const tokens = [
    ...Object.values(apiKey.apiKeys!),
    ...cases.flatMap((mistake) => (mistake.env.TEMPORAL_API_KEY ? [mistake.env.TEMPORAL_API_KEY] : [])),
  ];
  checkSecrets([...new Set([...tokens, ...privateKeyMarkers(certificates)])]);
  say(`ran in ${((performance.now() - began) / 1000).toFixed(0)} s`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}, tearing down`);
    void cleanup.runAll().then(() => process.exit(130));
  });
}

main()
  .catch((error: unknown) => {
    check(
      'the run reached its end',
      false,
      error instanceof Error ? (error.stack ?? error.message) : String(error),
    );
  })
  .finally(async () => {
    await cleanup.runAll();
    const failed = checks.filter((entry) => !entry.ok);
    say(`${checks.length - failed.length} passed, ${failed.length} failed`);
    process.exit(failed.length === 0 ? 0 : 1);
  });
