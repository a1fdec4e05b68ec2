// A real S3-compatible server for tests: versitygw (devstack/versitygw.ts) on a free 127.0.0.1 port, its posix
// backend in a temporary directory, with its own credentials and one bucket. `down()` and `up()` take it away
// and bring it back on the same port with the same objects, for outage tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort } from '../../common/ports';
import { locateVersitygw, versitygwMissingNote } from '../../devstack/versitygw';

export interface S3Server {
  /** The archive URL of the bucket (and prefix): s3://bucket/prefix. */
  url: string;
  /** ARCHIVE_URL and the ARCHIVE_S3_* settings that reach it. */
  env: Record<string, string>;
  endpoint: string;
  bucket: string;
  /** An archive URL under a prefix of its own in the same bucket, for a test that needs an empty archive. */
  freshUrl(label?: string): string;
  /** Stops the server, keeping its objects; requests fail until up(). */
  down(): Promise<void>;
  /** Starts it again on the same port. */
  up(): Promise<void>;
  /** Stops it and removes its objects. */
  stop(): Promise<void>;
}

export interface S3ServerOptions {
  bucket?: string;
  prefix?: string;
}

const REGION = 'us-east-1';
/** Start-up attempts: the port was free a moment ago, but another process may take it first. */
const START_ATTEMPTS = 3;
/** Bucket-creation attempts while the server starts listening, 100 ms apart. */
const READY_ATTEMPTS = 150;

function versitygwPath(): string {
  const path = locateVersitygw();
  // globalSetup provisions it; a run without it names what to install
  if (path === null) throw new Error(`${versitygwMissingNote()} (or run scripts/versitygw.ts)`);
  return path;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = exitOf(child);
  child.kill('SIGTERM');
  await exited;
}

export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const binary = versitygwPath();
  const root = mkdtempSync(join(tmpdir(), 'jao-s3-'));
  const bucket = options.bucket ?? 'jao-archive';
  const credentials = { accessKeyId: 'jao-test', secretAccessKey: randomBytes(18).toString('base64url') };
  let port = 0;
  let child: ChildProcess | undefined;
  let output = '';

  const launch = () => {
    output = '';
    const started = spawn(
      binary,
      [
        '--access',
        credentials.accessKeyId,
        '--secret',
        credentials.secretAccessKey,
        '--region',
        REGION,
        '--port',
        `127.0.0.1:${port}`,
        '--quiet',
        'posix',
        root,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (chunk: Buffer) => {
      output = `${output}${chunk.toString()}`.slice(-4000);
    };
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    return started;
  };

  const endpointOf = () => `http://127.0.0.1:${port}`;
  const adminClient = () =>
    new S3Client({
      region: REGION,
      endpoint: endpointOf(),
      forcePathStyle: true,
      credentials,
      maxAttempts: 1,
    });

  /** Waits until the server answers S3 requests: creating the bucket (or finding it made) is the probe. */
  const waitReady = async (started: ChildProcess): Promise<boolean> => {
    const client = adminClient();
    try {
      for (let attempt = 0; attempt < READY_ATTEMPTS; attempt += 1) {
        if (started.exitCode !== null) return false;
        try {
          await client.send(new CreateBucketCommand({ Bucket: bucket }));
          return true;
        } catch (error) {
          const name = error instanceof Error ? error.name : '';
          if (name === 'BucketAlreadyOwnedByYou' || name === 'BucketAlreadyExists') return true;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      throw new Error(`versitygw did not answer on ${endpointOf()}:\n${output}`);
    } finally {
      client.destroy();
    }
  };

  const startOnFreePort = async () => {
    for (let attempt = 0; attempt < START_ATTEMPTS; attempt += 1) {
      port = await freePort();
      child = launch();
      if (await waitReady(child)) return;
      await stopChild(child);
    }
    throw new Error(`versitygw would not start on 127.0.0.1:\n${output}`);
  };

  try {
    await startOnFreePort();
  } catch (error) {
    await stopChild(child);
    rmSync(root, { recursive: true, force: true });
    throw error;
  }

  const prefix = options.prefix ?? '';
  const urlFor = (path: string) => `s3://${bucket}${path === '' ? '' : `/${path}`}`;
  let fresh = 0;
  return {
    url: urlFor(prefix),
    endpoint: endpointOf(),
    bucket,
    env: {
      ARCHIVE_URL: urlFor(prefix),
      ARCHIVE_S3_ENDPOINT: endpointOf(),
      ARCHIVE_S3_REGION: REGION,
      ARCHIVE_S3_ACCESS_KEY_ID: credentials.accessKeyId,
      ARCHIVE_S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    freshUrl(label = 'test') {
      fresh += 1;
      return urlFor(
        [prefix, `${label}-${fresh}-${randomBytes(3).toString('hex')}`].filter(Boolean).join('/'),
      );
    },
    down: () => stopChild(child),
    async up() {
      if (child !== undefined && child.exitCode === null && child.signalCode === null) return;
      // The same port: an archive URL handed out before the outage must work again after it.
      child = launch();
      if (!(await waitReady(child)))
        throw new Error(`versitygw would not restart on ${endpointOf()}:\n${output}`);
    },
    async stop() {
      await stopChild(child);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
