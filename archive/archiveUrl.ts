// ARCHIVE_URL (or `restore --from`): a local directory as file:///absolute/path, or S3-compatible object storage
// as s3://bucket/prefix. Credentials never sit in the URL; they come from the environment (archive/s3Settings.ts).
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError } from '../common/config';

export type ArchiveAddress =
  | { kind: 'file' /** Absolute directory. */; directory: string }
  | {
      kind: 's3';
      bucket: string;
      /** Key prefix without leading or trailing '/', '' for the bucket's root. */
      prefix: string;
    };

/** Where the archive sits when ARCHIVE_URL is not set: `archive/` under the data directory. */
export const DEFAULT_ARCHIVE_SUBDIRECTORY = 'archive';
/** JAO_DATA_DIR's default (common/config.ts), relative to the working directory. */
const DEFAULT_DATA_DIR = '.data';

/** file:// URL of `$JAO_DATA_DIR/archive`, the data directory resolved against the working directory. */
export function defaultArchiveUrl(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const dataDir = env.JAO_DATA_DIR || DEFAULT_DATA_DIR;
  return pathToFileURL(join(resolve(cwd, dataDir), DEFAULT_ARCHIVE_SUBDIRECTORY)).href;
}

const FORMS = 'expected file:///absolute/path or s3://bucket/prefix';

/** ARCHIVE_URL as docs/reference/settings.md lists it (npm run docs:reference); read by archive/openStore.ts. */
export const ARCHIVE_URL_SETTING = {
  name: 'ARCHIVE_URL',
  default: `file://<absolute JAO_DATA_DIR>/${DEFAULT_ARCHIVE_SUBDIRECTORY}`,
  accepts: FORMS.replace(/^expected /, ''),
  description:
    'Where the archive schedule and `jao archive` ship every write with its raw answer, and raw bodies dropped ' +
    'under RAW_RETENTION_DAYS are read back from (docs/archive.md). Credentials of an s3:// archive come from the ' +
    'ARCHIVE_S3_* variables, never from the URL.',
} as const;
/** S3's bucket naming rules: 3-63 lowercase letters, digits, dots and hyphens, a letter or digit at each end. */
const BUCKET = /^(?=.{3,63}$)[a-z0-9][a-z0-9.-]*[a-z0-9]$/;

function fileAddress(url: URL): ArchiveAddress | string {
  if (url.host !== '' && url.host !== 'localhost')
    return `a file URL has no host (file:///path), not ${url.host}`;
  if (url.search !== '' || url.hash !== '') return 'a file URL has no query or fragment';
  const directory = fileURLToPath(url).replace(/\/+$/, '');
  if (!isAbsolute(directory) || directory === '')
    return 'expected an absolute directory such as file:///srv/archive';
  return { kind: 'file', directory };
}

function s3Address(url: URL, text: string): ArchiveAddress | string {
  if (url.username !== '' || url.password !== '')
    return 'credentials come from the environment (ARCHIVE_S3_ACCESS_KEY_ID…), never from the URL';
  if (url.search !== '' || url.hash !== '') return 'an s3 URL has no query or fragment';
  if (url.port !== '')
    return 'an s3 URL names a bucket, not a server (set the server in ARCHIVE_S3_ENDPOINT)';
  if (!BUCKET.test(url.hostname))
    return `bucket ${JSON.stringify(url.hostname)} is not a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)`;
  // The text as written: URL would quietly resolve "a/../b" to "b".
  const written = text.slice(`s3://${url.hostname}`.length).replace(/^\/+|\/+$/g, '');
  let prefix: string;
  try {
    prefix = decodeURIComponent(written);
  } catch {
    return `prefix ${JSON.stringify(written)} has a malformed %-escape`;
  }
  if (prefix !== '' && prefix.split('/').some((segment) => segment === '' || segment.startsWith('.')))
    return `prefix ${JSON.stringify(prefix)} has an empty segment or one starting with "."`;
  return { kind: 's3', bucket: url.hostname, prefix };
}

/** A ConfigError, so the CLI prints it as one line (exit 2) like any other setting's mistake. */
export class ArchiveUrlError extends ConfigError {
  override name = 'ArchiveUrlError';
}

/** Reads an archive URL; throws ArchiveUrlError with one line naming `label` when it is not one. */
export function parseArchiveUrl(text: string, label = 'ARCHIVE_URL'): ArchiveAddress {
  if (!URL.canParse(text)) throw new ArchiveUrlError(`${label}: ${FORMS}, not ${JSON.stringify(text)}`);
  const url = new URL(text);
  const address =
    url.protocol === 'file:' ? fileAddress(url) : url.protocol === 's3:' ? s3Address(url, text) : FORMS;
  if (typeof address === 'string') throw new ArchiveUrlError(`${label}: ${address}`);
  return address;
}

/** The address as a URL without credentials, for logs, lineage and messages. */
export function archiveLocation(address: ArchiveAddress): string {
  if (address.kind === 'file') return pathToFileURL(address.directory).href;
  return `s3://${address.bucket}/${address.prefix === '' ? '' : `${address.prefix}/`}`;
}
