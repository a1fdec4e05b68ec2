// The S3 archive (archive/s3Store.ts) against a real S3-compatible server, versitygw: the store's promises, and
// how it fails when the credentials are wrong or the server is gone.
import { randomBytes } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArchiveUrl } from '../../archive/archiveUrl';
import { openArchiveStore } from '../../archive/openStore';
import { loadS3Settings } from '../../archive/s3Settings';
import { S3ArchiveStore } from '../../archive/s3Store';
import { ArchiveAccessError, ArchiveUnavailableError } from '../../archive/store';
import { freePort } from '../../common/ports';
import { archiveStoreConformance, LIST_PAGE_SIZE_IN_TESTS } from '../helpers/archiveStoreConformance';
import { type S3Server, startS3Server } from '../helpers/s3Server';

let server: S3Server;
const stores: S3ArchiveStore[] = [];

beforeAll(async () => {
  server = await startS3Server();
});

afterAll(async () => {
  for (const store of stores) store.destroy();
  await server?.stop();
});

function storeAt(url: string, env: NodeJS.ProcessEnv = server.env): S3ArchiveStore {
  const address = parseArchiveUrl(url);
  if (address.kind !== 's3') throw new Error(`not an s3 URL: ${url}`);
  const store = new S3ArchiveStore(address, loadS3Settings(env), LIST_PAGE_SIZE_IN_TESTS);
  stores.push(store);
  return store;
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('S3 archive store on versitygw', () => {
  archiveStoreConformance(() => storeAt(server.freshUrl('conformance')));

  it('is what openArchiveStore gives for an s3:// URL, named without credentials', async () => {
    const url = server.freshUrl('open');
    const store = await openArchiveStore(url, server.env);
    expect(store).toBeInstanceOf(S3ArchiveStore);
    expect(store.location).toBe(`${url}/`);
    expect(store.location).not.toContain(server.env.ARCHIVE_S3_SECRET_ACCESS_KEY);
    (store as S3ArchiveStore).destroy();
  });

  it('keeps prefixes apart: an archive sees only the keys under its own', async () => {
    const left = storeAt(server.freshUrl('left'));
    const right = storeAt(server.freshUrl('right'));
    await left.putIfAbsent('objects/a', new Uint8Array([1]));
    expect(await right.get('objects/a')).toBeUndefined();
    expect(await right.putIfAbsent('objects/a', new Uint8Array([2]))).toBe('written');
    const listed: string[] = [];
    for await (const key of left.list('')) listed.push(key);
    expect(listed).toEqual(['objects/a']);
  });

  it('runs on a server that refuses a PUT with If-None-Match: * over an existing object (412)', async () => {
    const client = new S3Client({
      region: server.env.ARCHIVE_S3_REGION!,
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: {
        accessKeyId: server.env.ARCHIVE_S3_ACCESS_KEY_ID!,
        secretAccessKey: server.env.ARCHIVE_S3_SECRET_ACCESS_KEY!,
      },
      maxAttempts: 1,
    });
    try {
      const put = () =>
        client.send(
          new PutObjectCommand({
            Bucket: server.bucket,
            Key: 'conditional/probe',
            Body: 'x',
            IfNoneMatch: '*',
          }),
        );
      await put();
      const refused = await failureOf(put());
      expect(refused).toMatchObject({ $metadata: { httpStatusCode: 412 } });
    } finally {
      client.destroy();
    }
  });

  it('reports wrong credentials as an access error, in one line, without the secret', async () => {
    const wrongSecret = `wrong-${randomBytes(12).toString('hex')}`;
    const store = storeAt(server.freshUrl('denied'), {
      ...server.env,
      ARCHIVE_S3_SECRET_ACCESS_KEY: wrongSecret,
    });
    for (const failing of [
      () => store.putIfAbsent('objects/a', new Uint8Array([1])),
      () => store.get('objects/a'),
      async () => {
        for await (const key of store.list('')) expect.fail(`listed ${key}`);
      },
    ]) {
      const error = await failureOf(failing());
      expect(error).toBeInstanceOf(ArchiveAccessError);
      expect(error).toMatchObject({ retryable: false });
      expect(error.message).toMatch(/^archive s3:\/\/jao-archive\/denied-[^:]+\/: cannot (write|read|list) /);
      expect(error.message).toMatch(
        /SignatureDoesNotMatch|InvalidAccessKeyId|AccessDenied|access denied \(HTTP 403\)/,
      );
      expect(error.message).not.toContain('\n');
      expect(error.message).not.toContain(wrongSecret);
    }
  });

  it('reports a bucket that does not exist as an access error', async () => {
    const store = storeAt('s3://no-such-bucket/x');
    const error = await failureOf(store.putIfAbsent('objects/a', new Uint8Array([1])));
    expect(error).toBeInstanceOf(ArchiveAccessError);
    expect(error.message).toMatch(/NoSuchBucket/);
  });

  it('reports a server that is down as unavailable (retryable), and works again once it is back', async () => {
    const nobody = storeAt(server.freshUrl('nobody'), {
      ...server.env,
      ARCHIVE_S3_ENDPOINT: `http://127.0.0.1:${await freePort()}`,
    });
    const refused = await failureOf(nobody.putIfAbsent('objects/a', new Uint8Array([1])));
    expect(refused).toBeInstanceOf(ArchiveUnavailableError);
    expect(refused).toMatchObject({ retryable: true });
    expect(refused.message).not.toContain('\n');

    const store = storeAt(server.freshUrl('outage'));
    expect(await store.putIfAbsent('objects/before', new Uint8Array([1]))).toBe('written');
    await server.down();
    try {
      for (const failing of [
        () => store.putIfAbsent('objects/during', new Uint8Array([2])),
        () => store.get('objects/before'),
      ]) {
        const error = await failureOf(failing());
        expect(error).toBeInstanceOf(ArchiveUnavailableError);
        expect(error.message).toMatch(/ECONNREFUSED|socket|connect/i);
      }
    } finally {
      await server.up();
    }
    expect(await store.get('objects/before')).toEqual(new Uint8Array([1]));
    expect(await store.putIfAbsent('objects/during', new Uint8Array([2]))).toBe('written');
  });
});
