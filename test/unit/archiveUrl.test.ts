// ARCHIVE_URL and `restore --from`: a file:// directory or s3://bucket/prefix, a mistake in one line.
import { describe, expect, it } from 'vitest';
import { archiveLocation, defaultArchiveUrl, parseArchiveUrl } from '../../archive/archiveUrl';
import { configuredArchiveUrl, openArchiveStore } from '../../archive/openStore';
import { loadS3Settings } from '../../archive/s3Settings';
import { ConfigError } from '../../common/config';

function problem(text: string, label?: string): string {
  try {
    parseArchiveUrl(text, label);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('archive URL', () => {
  it('reads a file URL as an absolute directory', () => {
    expect(parseArchiveUrl('file:///srv/jao/archive')).toEqual({
      kind: 'file',
      directory: '/srv/jao/archive',
    });
    expect(parseArchiveUrl('file:///srv/jao/archive/')).toEqual({
      kind: 'file',
      directory: '/srv/jao/archive',
    });
    expect(parseArchiveUrl('file://localhost/srv/a%20b')).toEqual({ kind: 'file', directory: '/srv/a b' });
  });

  it('reads an s3 URL as a bucket and a prefix without slashes at its ends', () => {
    expect(parseArchiveUrl('s3://jao-archive')).toEqual({ kind: 's3', bucket: 'jao-archive', prefix: '' });
    expect(parseArchiveUrl('s3://jao-archive/')).toEqual({ kind: 's3', bucket: 'jao-archive', prefix: '' });
    expect(parseArchiveUrl('s3://jao.archive/prod/core/')).toEqual({
      kind: 's3',
      bucket: 'jao.archive',
      prefix: 'prod/core',
    });
  });

  it.each([
    ['/srv/archive', /^ARCHIVE_URL: expected file:\/\/\/absolute\/path or s3:\/\/bucket\/prefix/],
    [
      'http://example.com/archive',
      /ARCHIVE_URL: expected file:\/\/\/absolute\/path or s3:\/\/bucket\/prefix$/,
    ],
    ['file://server/share', /ARCHIVE_URL: a file URL has no host/],
    ['file:///srv/a?x=1', /ARCHIVE_URL: a file URL has no query or fragment/],
    ['file:///', /ARCHIVE_URL: expected an absolute directory/],
    ['s3://AKIA:secret@bucket/p', /ARCHIVE_URL: credentials come from the environment/],
    ['s3://Bad_Bucket/p', /ARCHIVE_URL: bucket "Bad_Bucket" is not a valid S3 bucket name/],
    ['s3://ab/p', /is not a valid S3 bucket name/],
    ['s3://bucket:9000/p', /ARCHIVE_URL: an s3 URL names a bucket, not a server/],
    ['s3://bucket/a//b', /ARCHIVE_URL: prefix "a\/\/b" has an empty segment/],
    ['s3://bucket/a/../b', /prefix "a\/..\/b" has an empty segment or one starting with "\."/],
    ['s3://bucket/%zz', /ARCHIVE_URL: prefix "%zz" has a malformed %-escape/],
  ])('refuses %s in one line', (text, message) => {
    const line = problem(text);
    expect(line).toMatch(message);
    expect(line).not.toContain('\n');
    expect(line).not.toContain('secret');
  });

  it('names the source of a bad URL', () => {
    expect(problem('ftp://x', '--from')).toMatch(/^--from: expected/);
  });

  it('gives its location without credentials', () => {
    expect(archiveLocation(parseArchiveUrl('s3://bucket/prod/'))).toBe('s3://bucket/prod/');
    expect(archiveLocation(parseArchiveUrl('s3://bucket'))).toBe('s3://bucket/');
    expect(archiveLocation(parseArchiveUrl('file:///srv/a%20b/'))).toBe('file:///srv/a%20b');
  });

  it('defaults to archive/ under the data directory, resolved against the working directory', () => {
    expect(defaultArchiveUrl({}, '/home/desk/jao')).toBe('file:///home/desk/jao/.data/archive');
    expect(defaultArchiveUrl({ JAO_DATA_DIR: '/var/lib/jao' }, '/x')).toBe('file:///var/lib/jao/archive');
    expect(defaultArchiveUrl({ JAO_DATA_DIR: 'state' }, '/x')).toBe('file:///x/state/archive');
    expect(configuredArchiveUrl({ ARCHIVE_URL: 's3://b-1/p' })).toBe('s3://b-1/p');
    expect(configuredArchiveUrl({ ARCHIVE_URL: '', JAO_DATA_DIR: '/d' })).toBe('file:///d/archive');
  });

  it('opens a file archive from ARCHIVE_URL or from an explicit URL', async () => {
    expect((await openArchiveStore(undefined, { ARCHIVE_URL: 'file:///srv/a/' })).location).toBe(
      'file:///srv/a',
    );
    expect((await openArchiveStore(undefined, { JAO_DATA_DIR: '/d' })).location).toBe('file:///d/archive');
    expect((await openArchiveStore('file:///srv/b', { ARCHIVE_URL: 'file:///srv/a' })).location).toBe(
      'file:///srv/b',
    );
    await expect(openArchiveStore('s3://no', {})).rejects.toThrow(/^archive URL: |archive URL: bucket "no"/);
    await expect(openArchiveStore(undefined, { ARCHIVE_URL: 'x' })).rejects.toThrow(/ARCHIVE_URL: expected/);
  });
});

describe('S3 settings', () => {
  it('default to AWS in us-east-1 with virtual-host addressing and the SDK credential chain', () => {
    expect(loadS3Settings({})).toEqual({
      endpoint: undefined,
      region: 'us-east-1',
      forcePathStyle: false,
      credentials: undefined,
    });
  });

  it('count an empty variable as unset', () => {
    const empty = {
      ARCHIVE_S3_ENDPOINT: '',
      ARCHIVE_S3_REGION: '',
      ARCHIVE_S3_FORCE_PATH_STYLE: '',
      ARCHIVE_S3_ACCESS_KEY_ID: '',
      ARCHIVE_S3_SECRET_ACCESS_KEY: '',
      ARCHIVE_S3_SESSION_TOKEN: '',
    };
    expect(loadS3Settings(empty)).toEqual(loadS3Settings({}));
  });

  it('take an endpoint (path-style unless told), region and credentials', () => {
    const settings = loadS3Settings({
      ARCHIVE_S3_ENDPOINT: 'http://127.0.0.1:7070/',
      ARCHIVE_S3_REGION: 'eu-central-1',
      ARCHIVE_S3_ACCESS_KEY_ID: 'jao',
      ARCHIVE_S3_SECRET_ACCESS_KEY: 'a-secret-key',
    });
    expect(settings).toEqual({
      endpoint: 'http://127.0.0.1:7070',
      region: 'eu-central-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'jao', secretAccessKey: 'a-secret-key' },
    });
    expect(
      loadS3Settings({ ARCHIVE_S3_ENDPOINT: 'https://s3.example', ARCHIVE_S3_FORCE_PATH_STYLE: 'false' })
        .forcePathStyle,
    ).toBe(false);
  });

  it.each([
    [
      { ARCHIVE_S3_ENDPOINT: 'ftp://x' },
      /ARCHIVE_S3_ENDPOINT: expected an http\(s\) URL without credentials/,
    ],
    [{ ARCHIVE_S3_ENDPOINT: 'http://key:hunter2@s3' }, /ARCHIVE_S3_ENDPOINT: expected an http\(s\) URL/],
    [{ ARCHIVE_S3_REGION: 'EU Central' }, /ARCHIVE_S3_REGION: expected a region name/],
    [{ ARCHIVE_S3_FORCE_PATH_STYLE: 'yes' }, /ARCHIVE_S3_FORCE_PATH_STYLE: expected true or false/],
    [{ ARCHIVE_S3_ACCESS_KEY_ID: 'jao' }, /set both or neither/],
    [{ ARCHIVE_S3_SECRET_ACCESS_KEY: 'hunter2-secret' }, /set both or neither/],
  ])('refuses %o in one line, never echoing a secret', (env, message) => {
    expect(() => loadS3Settings(env)).toThrow(message);
    try {
      loadS3Settings(env);
    } catch (error) {
      expect(String(error)).not.toMatch(/hunter2|\n/);
    }
  });
});
