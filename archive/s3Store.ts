// The archive in S3-compatible object storage, through the AWS SDK's S3 client: one object per key under the
// URL's prefix. Writing is HEAD, then a PUT conditional on the key being absent (If-None-Match: *): a server
// that does not support the condition still never loses an object, since a key names its content and a racing
// duplicate writes the same bytes.
import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { redactSecrets } from '../common/redact';
import { type ArchiveAddress, archiveLocation } from './archiveUrl';
import type { S3Settings } from './s3Settings';
import {
  ArchiveAccessError,
  type ArchiveStore,
  type ArchiveStoreError,
  ArchiveUnavailableError,
  keySegments,
} from './store';

type S3Address = Extract<ArchiveAddress, { kind: 's3' }>;

/** Answers that need someone to fix the set-up; every other failure may pass by itself. */
const ACCESS_ERROR_NAMES = new Set([
  'AccessDenied',
  'AllAccessDisabled',
  'CredentialsProviderError',
  'ExpiredToken',
  'InvalidAccessKeyId',
  'InvalidBucketName',
  'InvalidToken',
  'NoSuchBucket',
  'SignatureDoesNotMatch',
]);
const ACCESS_STATUSES = new Set([400, 401, 403, 404, 405]);

function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === 'NoSuchKey' ||
      error.name === 'NotFound' ||
      (error.$metadata.httpStatusCode === 404 && error.name !== 'NoSuchBucket'))
  );
}

/** What went wrong in a few words: the server's error code and message, or for an answer without a body (HEAD),
 * what its status means. */
function describeFailure(error: unknown): string {
  const status = statusOf(error);
  if (error instanceof S3ServiceException && !['Unknown', 'UnknownError', 'Error'].includes(error.name))
    return `${error.name} (HTTP ${status}): ${error.message}`;
  if (status === 403) return "access denied (HTTP 403): check the credentials and the bucket's permissions";
  if (status !== undefined) return `HTTP ${status}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export class S3ArchiveStore implements ArchiveStore {
  readonly location: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly keyPrefix: string;
  private readonly secrets: string[];
  /** Cleared when the server answers that it does not implement conditional writes. */
  private conditionalWrites = true;

  /** `listPageSize`: keys per ListObjectsV2 page (the server's default, 1000, when unset). */
  constructor(
    address: S3Address,
    settings: S3Settings,
    private readonly listPageSize?: number,
  ) {
    this.location = archiveLocation(address);
    this.bucket = address.bucket;
    this.keyPrefix = address.prefix === '' ? '' : `${address.prefix}/`;
    this.secrets = [settings.credentials?.secretAccessKey, settings.credentials?.sessionToken].filter(
      (secret): secret is string => secret !== undefined,
    );
    this.client = new S3Client({
      region: settings.region,
      ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
      forcePathStyle: settings.forcePathStyle,
      ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
      // Integrity through Content-MD5, which every S3-compatible server checks; the SDK's default trailing
      // checksums (aws-chunked bodies) are refused by some of them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    });
  }

  async putIfAbsent(key: string, body: Uint8Array): Promise<'written' | 'existed'> {
    const objectKey = this.objectKey(key);
    try {
      if (await this.exists(objectKey)) return 'existed';
      return await this.putUnlessPresent(objectKey, body);
    } catch (error) {
      throw this.storeError(`write ${key}`, error);
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const objectKey = this.objectKey(key);
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return answer.Body ? await answer.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw this.storeError(`read ${key}`, error);
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    let continuationToken: string | undefined;
    do {
      let answer: ListObjectsV2CommandOutput;
      try {
        answer = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: `${this.keyPrefix}${prefix}`,
            ContinuationToken: continuationToken,
            MaxKeys: this.listPageSize,
          }),
        );
      } catch (error) {
        throw this.storeError(`list ${prefix === '' ? 'the archive' : prefix}`, error);
      }
      for (const object of answer.Contents ?? [])
        if (object.Key !== undefined) yield object.Key.slice(this.keyPrefix.length);
      continuationToken = answer.IsTruncated ? answer.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
  }

  destroy(): void {
    this.client.destroy();
  }

  private objectKey(key: string): string {
    keySegments(key);
    return `${this.keyPrefix}${key}`;
  }

  private async exists(objectKey: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  private async putUnlessPresent(objectKey: string, body: Uint8Array): Promise<'written' | 'existed'> {
    const put = (conditional: boolean) =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: objectKey,
          Body: body,
          ContentLength: body.byteLength,
          ContentMD5: createHash('md5').update(body).digest('base64'),
          ...(conditional ? { IfNoneMatch: '*' } : {}),
        }),
      );
    if (this.conditionalWrites) {
      try {
        await put(true);
        return 'written';
      } catch (error) {
        const status = statusOf(error);
        // 412: another writer got there first; 409: one is writing it right now (S3 asks to retry: HEAD says).
        if (status === 412) return 'existed';
        if (status === 409 && (await this.exists(objectKey))) return 'existed';
        const notImplemented = error instanceof S3ServiceException && error.name === 'NotImplemented';
        if (status !== 501 && !notImplemented) throw error;
        this.conditionalWrites = false;
      }
    }
    await put(false);
    return 'written';
  }

  private storeError(doing: string, error: unknown): ArchiveStoreError {
    const status = statusOf(error);
    const name = error instanceof Error ? error.name : 'Error';
    const reason = redactSecrets(describeFailure(error).replace(/\s+/g, ' '), this.secrets);
    const message = `archive ${this.location}: cannot ${doing}: ${reason}`;
    // An S3 answer's exception carries the whole HTTP exchange: too much for a log line's cause.
    const options = error instanceof S3ServiceException ? {} : { cause: error };
    return ACCESS_ERROR_NAMES.has(name) || (status !== undefined && ACCESS_STATUSES.has(status))
      ? new ArchiveAccessError(message, options)
      : new ArchiveUnavailableError(message, options);
  }
}
