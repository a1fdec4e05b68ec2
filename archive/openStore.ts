// The archive an address names: ARCHIVE_URL (default `$JAO_DATA_DIR/archive`) or an explicit URL (`restore --from`).
import { ARCHIVE_URL_SETTING, defaultArchiveUrl, parseArchiveUrl } from './archiveUrl';
import { FileArchiveStore } from './fileStore';
import { loadS3Settings } from './s3Settings';
import type { ArchiveStore } from './store';

/** The archive URL in force: ARCHIVE_URL when set and not empty, else the default under the data directory. */
export function configuredArchiveUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env[ARCHIVE_URL_SETTING.name] || defaultArchiveUrl(env);
}

/**
 * Opens the archive at `url` (undefined: configuredArchiveUrl), reading an s3:// archive's endpoint and
 * credentials from `env`. Touches nothing yet: a file archive's directory appears on its first write. Throws a
 * ConfigError (one line) for a bad URL or setting; `label` names the URL's source in that line.
 */
export async function openArchiveStore(
  url: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  label = url === undefined ? 'ARCHIVE_URL' : 'archive URL',
): Promise<ArchiveStore> {
  const address = parseArchiveUrl(url ?? configuredArchiveUrl(env), label);
  if (address.kind === 'file') return new FileArchiveStore(address.directory);
  const settings = loadS3Settings(env);
  // Loaded on demand: the S3 client is large and only s3:// archives need it.
  const { S3ArchiveStore } = await import('./s3Store');
  return new S3ArchiveStore(address, settings);
}
