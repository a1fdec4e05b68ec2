// What the Temporal SDK itself reports for each connection mistake, run by hand (not part of any test):
//
//   node bin/run-ts.js test/temporalAuth/probe.ts [--json FILE]
//
// It starts the TLS servers of test/temporalAuth/server.ts (mTLS, and API keys with the JWT authorizer) and a
// plaintext dev server, then for each mistake connects with @temporalio/client `Connection.connect` and
// @temporalio/worker `NativeConnection.connect` directly (TLS and apiKey options, no environment), makes a first
// call when the connect succeeds, and prints where each fails (at connect or at the first call) with the error's
// class, gRPC code, message and cause chain: the material for one-line messages.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkServerIdentity, connect as tlsConnect } from 'node:tls';
import { parseArgs } from 'node:util';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import { Cleanup } from '../../bench/cleanup';
import { freePort } from '../../common/ports';
import { startDevServer } from '../../devstack/devServer';
import { generateCertificates, type TestCertificates } from '../helpers/certificates';
import { startApiKeyIssuer } from './apiKeys';
import { startRefusingProxy, UPDATE_TASK_QUEUE_CONFIG } from './refusingProxy';
import { startApiKeyServer, startMtlsServer, type TemporalAuthServer, tlsOptions } from './server';

const say = (line: string) => console.error(`probe: ${line}`);
const cleanup = new Cleanup('probe');
const CALL_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 5_000;

type Call = 'describeNamespace' | 'startWorkflow' | 'addSearchAttributes' | 'updateTaskQueueConfig';

interface Case {
  name: string;
  options: ConnectionOptions;
  namespace: string;
  call: Call;
}

interface ErrorReport {
  class: string;
  code: number | string | null;
  message: string;
  causes: string[];
}

interface Outcome {
  /** 'connect' when connect() threw, 'call' when the first call did, 'ok' when both passed. */
  failedAt: 'connect' | 'call' | 'ok';
  ms: number;
  error: ErrorReport | null;
}

function describe(error: unknown): ErrorReport {
  const causes: string[] = [];
  let cause = error instanceof Error ? error.cause : undefined;
  while (cause !== undefined && causes.length < 6) {
    causes.push(
      cause instanceof Error
        ? `${cause.constructor.name}${codeOf(cause) !== null ? ` [${codeOf(cause)}]` : ''}: ${cause.message}`
        : String(cause),
    );
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return {
    class: error instanceof Error ? error.constructor.name : typeof error,
    code: codeOf(error),
    message: error instanceof Error ? error.message : String(error),
    causes,
  };
}

function codeOf(error: unknown): number | string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' || typeof code === 'string' ? code : null;
}

interface ServiceLike {
  workflowService: Connection['workflowService'];
  operatorService: Connection['operatorService'];
  withDeadline<R>(deadline: number | Date, fn: () => Promise<R>): Promise<R>;
}

async function firstCall(connection: ServiceLike, testCase: Case): Promise<void> {
  const deadline = Date.now() + CALL_TIMEOUT_MS;
  const { namespace } = testCase;
  await connection.withDeadline(deadline, async () => {
    if (testCase.call === 'describeNamespace') {
      await connection.workflowService.describeNamespace({ namespace });
    } else if (testCase.call === 'startWorkflow') {
      await connection.workflowService.startWorkflowExecution({
        namespace,
        workflowId: `probe-${Date.now()}`,
        workflowType: { name: 'probe' },
        taskQueue: { name: 'probe' },
        requestId: `${Date.now()}-${Math.random()}`,
      });
    } else if (testCase.call === 'addSearchAttributes') {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: { ProbeAttribute: 2 },
      });
    } else {
      await connection.workflowService.updateTaskQueueConfig({
        namespace,
        taskQueue: 'probe-fetch',
        taskQueueType: 2, // activity
        updateQueueRateLimit: { rateLimit: { requestsPerSecond: 1 }, reason: 'probe' },
        identity: 'probe',
      });
    }
  });
}

const HTTP2_PREFACE = Buffer.concat([
  Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
  Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]), // an empty SETTINGS frame
]);

/**
 * The TLS handshake alone, with node:tls and the same certificates (what a diagnosis after a failed connect could
 * run): it passes when the server answers the HTTP/2 preface. Null for a case without TLS. A server that refuses
 * the client's certificate says so only after the client's side of a TLS 1.3 handshake is done, hence the preface.
 */
async function tryHandshake(testCase: Case): Promise<Outcome | null> {
  const tlsOption = testCase.options.tls ?? (testCase.options.apiKey !== undefined ? true : undefined);
  if (!tlsOption) return null;
  const settings = typeof tlsOption === 'object' ? tlsOption : {};
  const [host, port] = [
    testCase.options.address!.slice(0, testCase.options.address!.lastIndexOf(':')),
    Number(testCase.options.address!.slice(testCase.options.address!.lastIndexOf(':') + 1)),
  ];
  const started = performance.now();
  const servername = settings.serverNameOverride ?? (isIP(host) ? undefined : host);
  try {
    await new Promise<void>((resolve, reject) => {
      const socket = tlsConnect({
        host,
        port,
        ...(servername ? { servername } : {}),
        ...(settings.serverNameOverride
          ? { checkServerIdentity: (_host, cert) => checkServerIdentity(settings.serverNameOverride!, cert) }
          : {}),
        ALPNProtocols: ['h2'],
        ...(settings.serverRootCACertificate ? { ca: Buffer.from(settings.serverRootCACertificate) } : {}),
        ...(settings.clientCertPair
          ? { cert: Buffer.from(settings.clientCertPair.crt), key: Buffer.from(settings.clientCertPair.key) }
          : {}),
      });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('no answer within 5 s'));
      }, CONNECT_TIMEOUT_MS);
      socket.once('secureConnect', () => socket.write(HTTP2_PREFACE));
      socket.once('data', () => {
        clearTimeout(timer);
        socket.destroy();
        resolve();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      });
      socket.once('close', () => {
        clearTimeout(timer);
        reject(new Error('closed by the server without an answer'));
      });
    });
    return { failedAt: 'ok', ms: performance.now() - started, error: null };
  } catch (error) {
    return { failedAt: 'connect', ms: performance.now() - started, error: describe(error) };
  }
}

async function tryClient(testCase: Case): Promise<Outcome> {
  const started = performance.now();
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...testCase.options, connectTimeout: CONNECT_TIMEOUT_MS });
  } catch (error) {
    return { failedAt: 'connect', ms: performance.now() - started, error: describe(error) };
  }
  try {
    await firstCall(connection, testCase);
    return { failedAt: 'ok', ms: performance.now() - started, error: null };
  } catch (error) {
    return { failedAt: 'call', ms: performance.now() - started, error: describe(error) };
  } finally {
    await connection.close().catch(() => {});
  }
}

async function tryNative(testCase: Case): Promise<Outcome> {
  const started = performance.now();
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect(testCase.options as NativeConnectionOptions);
  } catch (error) {
    return { failedAt: 'connect', ms: performance.now() - started, error: describe(error) };
  }
  try {
    await firstCall(connection, testCase);
    return { failedAt: 'ok', ms: performance.now() - started, error: null };
  } catch (error) {
    return { failedAt: 'call', ms: performance.now() - started, error: describe(error) };
  } finally {
    await connection.close().catch(() => {});
  }
}

function cases(
  certificates: TestCertificates,
  mtls: TemporalAuthServer,
  apiKey: TemporalAuthServer,
  issuerKeys: { badSignature: string; expired: string },
  devAddress: string,
  nobodyAddress: string,
  proxyAddress: string,
): Case[] {
  const ns = mtls.namespace;
  const keys = apiKey.apiKeys!;
  const m = (
    name: string,
    options: Omit<ConnectionOptions, 'address'>,
    call: Call = 'describeNamespace',
  ) => ({
    name: `mTLS: ${name}`,
    options: { address: mtls.address, ...options },
    namespace: ns,
    call,
  });
  const k = (
    name: string,
    options: Omit<ConnectionOptions, 'address'>,
    call: Call = 'describeNamespace',
  ) => ({
    name: `API key: ${name}`,
    options: { address: apiKey.address, ...options },
    namespace: apiKey.namespace,
    call,
  });
  const ca = tlsOptions(certificates);
  return [
    m('valid client certificate (control)', { tls: tlsOptions(certificates, certificates.client) }),
    m('client certificate signed by another CA', { tls: tlsOptions(certificates, certificates.otherClient) }),
    m('expired client certificate', { tls: tlsOptions(certificates, certificates.expiredClient) }),
    m('key does not match the client certificate', {
      tls: {
        ...ca,
        clientCertPair: {
          crt: tlsOptions(certificates, certificates.client).clientCertPair!.crt,
          key: tlsOptions(certificates, { cert: certificates.client.cert, key: certificates.strayKey })
            .clientCertPair!.key,
        },
      },
    }),
    m('no client certificate (TLS with the CA only)', { tls: ca }),
    m('server CA not given (system CAs)', {
      tls: { clientCertPair: tlsOptions(certificates, certificates.client).clientCertPair! },
    }),
    m('wrong server CA given', {
      tls: {
        serverRootCACertificate: tlsOptions({ ...certificates, ca: certificates.otherCa })
          .serverRootCACertificate!,
        clientCertPair: tlsOptions(certificates, certificates.client).clientCertPair!,
      },
    }),
    m('server name not in the certificate (serverNameOverride wrong.example)', {
      tls: { ...tlsOptions(certificates, certificates.client), serverNameOverride: 'wrong.example' },
    }),
    m('plaintext client against the TLS server', {}),
    {
      ...m('wrong namespace, describeNamespace', { tls: tlsOptions(certificates, certificates.client) }),
      namespace: 'no-such-namespace',
    },
    {
      ...m(
        'wrong namespace, workflow start',
        { tls: tlsOptions(certificates, certificates.client) },
        'startWorkflow',
      ),
      namespace: 'no-such-namespace',
    },
    k('system key (control)', { tls: ca, apiKey: keys.system }),
    k('namespace writer key (control)', { tls: ca, apiKey: keys.writer }),
    k('bad signature', { tls: ca, apiKey: issuerKeys.badSignature }),
    k('expired token', { tls: ca, apiKey: issuerKeys.expired }),
    k('not a JWT at all', { tls: ca, apiKey: 'not-a-jwt' }),
    k('no API key (TLS only)', { tls: ca }),
    k('server CA not given (system CAs)', { apiKey: keys.writer }),
    k('API key without TLS (tls: false) against the TLS server', { tls: false, apiKey: keys.writer }),
    k('reader key starts a workflow', { tls: ca, apiKey: keys.reader }, 'startWorkflow'),
    k('writer key adds a search attribute', { tls: ca, apiKey: keys.writer }, 'addSearchAttributes'),
    k('writer key updates task-queue config', { tls: ca, apiKey: keys.writer }, 'updateTaskQueueConfig'),
    {
      ...k('wrong namespace, describeNamespace (writer key)', { tls: ca, apiKey: keys.writer }),
      namespace: 'no-such-namespace',
    },
    {
      ...k('wrong namespace, workflow start (system key)', { tls: ca, apiKey: keys.system }, 'startWorkflow'),
      namespace: 'no-such-namespace',
    },
    {
      ...k(
        'via a proxy refusing UpdateTaskQueueConfig: writer key, workflow start',
        { tls: ca, apiKey: keys.writer },
        'startWorkflow',
      ),
      options: { address: proxyAddress, tls: ca, apiKey: keys.writer },
    },
    {
      ...k(
        'via a proxy refusing UpdateTaskQueueConfig: writer key updates task-queue config',
        { tls: ca, apiKey: keys.writer },
        'updateTaskQueueConfig',
      ),
      options: { address: proxyAddress, tls: ca, apiKey: keys.writer },
    },
    {
      name: 'plaintext server: TLS client (the test CA)',
      options: { address: devAddress, tls: ca },
      namespace: 'default',
      call: 'describeNamespace',
    },
    {
      name: 'plaintext server: TLS client (system CAs)',
      options: { address: devAddress, tls: true },
      namespace: 'default',
      call: 'describeNamespace',
    },
    {
      name: 'plaintext server: API key (TLS implied)',
      options: { address: devAddress, apiKey: keys.writer },
      namespace: 'default',
      call: 'describeNamespace',
    },
    {
      name: 'plaintext server: API key with tls: false',
      options: { address: devAddress, apiKey: keys.writer, tls: false },
      namespace: 'default',
      call: 'describeNamespace',
    },
    {
      name: 'unreachable: nothing listens on the port',
      options: { address: nobodyAddress },
      namespace: 'default',
      call: 'describeNamespace',
    },
    {
      name: 'unreachable: the host name does not resolve',
      options: { address: 'temporal.invalid:7233', tls: ca },
      namespace: 'default',
      call: 'describeNamespace',
    },
  ];
}

function summary(outcome: Outcome): string {
  const seconds = `${(outcome.ms / 1000).toFixed(1)} s`;
  if (!outcome.error) return `ok (${seconds})`;
  const { error } = outcome;
  const causes = error.causes.length ? ` ← ${error.causes.join(' ← ')}` : '';
  return `${outcome.failedAt}, ${seconds}: ${error.class}${error.code !== null ? ` [${error.code}]` : ''}: ${error.message}${causes}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'string' } } });
  const adminDatabaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dir = mkdtempSync(join(tmpdir(), 'jao-temporal-probe-'));
  cleanup.add('work directory', () => rmSync(dir, { recursive: true, force: true }));
  for (const sub of ['certs', 'mtls', 'apikey']) mkdirSync(join(dir, sub));
  const certificates = await generateCertificates(join(dir, 'certs'));
  const issuer = await startApiKeyIssuer();
  cleanup.add('key set server', () => issuer.close());
  const [mtls, apiKey, dev] = await Promise.all([
    startMtlsServer({
      certificates,
      adminDatabaseUrl,
      namespace: 'jao-probe',
      workDir: join(dir, 'mtls'),
      log: say,
    }),
    startApiKeyServer({
      certificates,
      adminDatabaseUrl,
      namespace: 'jao-probe',
      workDir: join(dir, 'apikey'),
      issuer,
      log: say,
    }),
    startDevServer({ port: await freePort(), log: say }),
  ]);
  cleanup.add('mTLS server', () => mtls.stop());
  cleanup.add('API-key server', () => apiKey.stop());
  cleanup.add('dev server', () => dev.stop());
  const issuerKeys = {
    badSignature: issuer.signWithForeignKey({ sub: 'probe', permissions: [`${apiKey.namespace}:write`] }),
    expired: issuer.sign({ sub: 'probe', permissions: [`${apiKey.namespace}:write`], expiresInSeconds: -60 }),
  };
  const nobodyAddress = `127.0.0.1:${await freePort()}`;
  const proxy = await startRefusingProxy({
    target: apiKey.address,
    certificates,
    refuse: [UPDATE_TASK_QUEUE_CONFIG],
  });
  cleanup.add('refusing proxy', () => proxy.close());
  const results: { name: string; client: Outcome; native: Outcome; handshake: Outcome | null }[] = [];
  for (const testCase of cases(
    certificates,
    mtls,
    apiKey,
    issuerKeys,
    dev.address,
    nobodyAddress,
    proxy.address,
  )) {
    const client = await tryClient(testCase);
    const native = await tryNative(testCase);
    const handshake = await tryHandshake(testCase);
    results.push({ name: testCase.name, client, native, handshake });
    console.log(
      `\n## ${testCase.name}\n  Connection:       ${summary(client)}\n  NativeConnection: ${summary(native)}` +
        `\n  node:tls + h2:    ${handshake ? summary(handshake) : 'n/a (no TLS)'}`,
    );
  }
  // What Client (the class the CLI uses) says for the wrong namespace, above the raw call's answer.
  const connection = await Connection.connect(mtls.adminConnectionOptions);
  try {
    await new Client({ connection, namespace: 'no-such-namespace' }).workflow.start('probe', {
      taskQueue: 'probe',
      workflowId: 'probe',
    });
  } catch (error) {
    console.log(
      `\n## mTLS: wrong namespace through Client.workflow.start\n  ${JSON.stringify(describe(error))}`,
    );
  } finally {
    await connection.close();
  }
  if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
}

main()
  .catch((error: unknown) => {
    say(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanup.runAll().then(() => process.exit()));
