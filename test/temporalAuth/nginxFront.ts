// nginx as a platform team puts it in front of Temporal: it terminates TLS with the server certificate of the test's
// CA and passes gRPC on (grpc_pass), either to a plaintext frontend or to a TLS one. As an mTLS front
// (`ssl_verify_client on`) it asks for a client certificate signed by the test's CA; unlike the Temporal server, it
// completes the handshake without one and answers each request with HTTP 400 ("No required SSL certificate was
// sent"), which a gRPC client sees as a failed connection.
//
// Debian's nginx-core, installed where absent by scripts/ensure-nginx.sh. Each front runs in the foreground
// (`nginx -p <dir> -c <conf> -g 'daemon off;'`) on 127.0.0.1 and a free port, its configuration, pid file and logs in
// a directory of its own; close() stops it.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../common/ports';
import type { TestCertificates } from '../helpers/certificates';
import { REPO_ROOT } from '../helpers/processes';

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 15_000;
/** Longer than a worker's long poll (about 70 s): nginx's 60 s default would cut every idle poll. */
const GRPC_TIMEOUT = '300s';

export interface NginxFrontOptions {
  /** `host:port` of the Temporal frontend nginx passes gRPC to. */
  target: string;
  /** The target speaks TLS with a certificate of `certificates.ca` for this name; plaintext when absent. */
  targetServerName?: string;
  certificates: TestCertificates;
  /** `ssl_verify_client on` with the test's CA: the mTLS front. */
  requireClientCertificate: boolean;
  /** The front's own directory (configuration, logs); the caller removes it. */
  dir: string;
}

export interface NginxFront {
  /** `127.0.0.1:<port>`, TLS with `certificates.server`. */
  address: string;
  errorLog: string;
  close(): Promise<void>;
}

/** The nginx binary: on PATH, or where Debian puts it (/usr/sbin is not on every PATH). */
function nginxBinary(): string {
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    if (existsSync(join(dir, 'nginx'))) return join(dir, 'nginx');
  }
  return '/usr/sbin/nginx';
}

/** scripts/ensure-nginx.sh: installs Debian's nginx-core where it is absent; its version line. */
export async function ensureNginx(): Promise<string> {
  const { stdout } = await promisify(execFile)(join(REPO_ROOT, 'scripts/ensure-nginx.sh'), {
    cwd: REPO_ROOT,
  });
  return stdout.trim().split('\n').at(-1) ?? '';
}

function configuration(options: NginxFrontOptions, port: number): string {
  const { certificates, dir } = options;
  const upstream = options.targetServerName
    ? [
        `      grpc_pass grpcs://${options.target};`,
        `      grpc_ssl_trusted_certificate ${certificates.ca.cert};`,
        '      grpc_ssl_verify on;',
        `      grpc_ssl_name ${options.targetServerName};`,
        '      grpc_ssl_server_name on;',
      ]
    : [`      grpc_pass grpc://${options.target};`];
  const clientVerification = options.requireClientCertificate
    ? [`    ssl_client_certificate ${certificates.ca.cert};`, '    ssl_verify_client on;']
    : [];
  return [
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} info;`,
    'events { worker_connections 512; }',
    'http {',
    `  access_log ${join(dir, 'access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      (kind) => `  ${kind}_temp_path ${join(dir, kind)};`,
    ),
    '  keepalive_requests 100000;',
    '  server {',
    `    listen 127.0.0.1:${port} ssl http2;`,
    `    ssl_certificate ${certificates.server.cert};`,
    `    ssl_certificate_key ${certificates.server.key};`,
    ...clientVerification,
    '    client_max_body_size 0;',
    '    location / {',
    ...upstream,
    `      grpc_read_timeout ${GRPC_TIMEOUT};`,
    `      grpc_send_timeout ${GRPC_TIMEOUT};`,
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const tail = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').slice(-5).join(' | ') : '(no log)';

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM'); // nginx's fast shutdown: the master stops its worker and exits
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

export async function startNginxFront(options: NginxFrontOptions): Promise<NginxFront> {
  mkdirSync(options.dir, { recursive: true });
  const port = await freePort();
  const conf = join(options.dir, 'nginx.conf');
  const errorLog = join(options.dir, 'error.log');
  writeFileSync(conf, configuration(options, port));
  const child = spawn(nginxBinary(), ['-p', options.dir, '-c', conf, '-e', errorLog, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const spawned = new Promise<Error | null>((resolve) => {
    child.once('spawn', () => resolve(null));
    child.once('error', resolve);
  });
  const failure = await spawned;
  if (failure) throw new Error(`nginx did not start (${failure.message}): run scripts/ensure-nginx.sh`);
  const started = performance.now();
  while (!(await accepts(port))) {
    if (
      child.exitCode !== null ||
      child.signalCode !== null ||
      performance.now() - started > START_TIMEOUT_MS
    ) {
      await stop(child);
      throw new Error(
        `nginx did not listen on 127.0.0.1:${port} (exit ${child.exitCode ?? child.signalCode}): ` +
          `${stderr.trim() || tail(errorLog)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { address: `127.0.0.1:${port}`, errorLog, close: () => stop(child) };
}
