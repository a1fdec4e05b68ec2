// The archive in a local directory: one file per key, '/' in a key making sub-directories.
// An object appears whole or not at all: its bytes go to a temporary file in the same directory, are flushed to
// disk, and are then hard-linked under the key. link(2) fails when the name exists, so of two writers of one key
// exactly one writes it and neither can replace what is there (rename(2) would silently replace it).
import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { link, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ArchiveAccessError,
  type ArchiveStore,
  type ArchiveStoreError,
  ArchiveUnavailableError,
  keySegments,
} from './store';

/** Temporary files start with '.', which no key segment may (keySegments, archive/store.ts): never listed as objects. */
const TEMP_PREFIX = '.tmp-';
function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Permission problems need someone to act; anything else (a full or failing disk…) may pass. */
const ACCESS_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'EISDIR']);

function storeError(location: string, doing: string, error: unknown): ArchiveStoreError {
  const reason = error instanceof Error ? error.message : String(error);
  const message = `archive ${location}: cannot ${doing}: ${reason}`;
  return ACCESS_CODES.has(errorCode(error) ?? '')
    ? new ArchiveAccessError(message, { cause: error })
    : new ArchiveUnavailableError(message, { cause: error });
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates `directory` and its missing parents, each new directory's entry flushed to disk in its parent. */
async function makeDurableDirectory(directory: string): Promise<void> {
  const firstCreated = await mkdir(directory, { recursive: true });
  if (firstCreated === undefined) return;
  const parents = new Set([dirname(firstCreated)]);
  for (let created = directory; created !== firstCreated; created = dirname(created))
    parents.add(dirname(created));
  for (const parent of parents) await fsyncPath(parent);
}

async function writeTempFile(directory: string, body: Uint8Array): Promise<string> {
  const path = join(directory, `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
  const handle = await open(path, 'wx', 0o644);
  try {
    await handle.writeFile(body);
    await handle.sync();
  } catch (error) {
    await unlink(path).catch(() => {});
    throw error;
  } finally {
    await handle.close();
  }
  return path;
}

export class FileArchiveStore implements ArchiveStore {
  readonly location: string;

  /** `directory` is absolute; it is created on the first write. */
  constructor(private readonly directory: string) {
    this.location = pathToFileURL(directory).href;
  }

  private pathOf(key: string): string {
    return join(this.directory, ...keySegments(key));
  }

  async putIfAbsent(key: string, body: Uint8Array): Promise<'written' | 'existed'> {
    const path = this.pathOf(key);
    const directory = dirname(path);
    try {
      await makeDurableDirectory(directory);
      const temp = await writeTempFile(directory, body);
      try {
        await link(temp, path);
      } catch (error) {
        if (errorCode(error) === 'EEXIST') return 'existed';
        throw error;
      } finally {
        await unlink(temp).catch(() => {});
      }
      await fsyncPath(directory);
      return 'written';
    } catch (error) {
      throw storeError(this.location, `write ${key}`, error);
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(key);
    try {
      return new Uint8Array(await readFile(path));
    } catch (error) {
      // ENOTDIR: a segment is an object; EISDIR: the key is only a prefix of other keys.
      if (['ENOENT', 'ENOTDIR', 'EISDIR'].includes(errorCode(error) ?? '')) return undefined;
      throw storeError(this.location, `read ${key}`, error);
    }
  }

  list(prefix: string): AsyncIterable<string> {
    return this.walk(this.directory, '', prefix);
  }

  /**
   * Keys under `directory` (whose keys start with `keyPrefix`) that start with `wanted`, one directory read at a
   * time. A sub-directory's keys all start with its name and '/', so ordering siblings by that text (a file by
   * its name) gives ascending byte order of the whole keys.
   */
  private async *walk(directory: string, keyPrefix: string, wanted: string): AsyncGenerator<string> {
    let entries: Dirent[];
    try {
      entries = (await readdir(directory, { withFileTypes: true })).filter(
        (entry) => !entry.name.startsWith('.') && (entry.isDirectory() || entry.isFile()),
      );
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return;
      throw storeError(this.location, `list ${keyPrefix === '' ? 'the archive' : keyPrefix}`, error);
    }
    const ordered = entries
      .map((entry) => ({ entry, text: `${keyPrefix}${entry.name}${entry.isDirectory() ? '/' : ''}` }))
      .sort((a, b) => Buffer.compare(Buffer.from(a.text), Buffer.from(b.text)));
    for (const { entry, text } of ordered) {
      if (entry.isDirectory()) {
        if (text.startsWith(wanted) || wanted.startsWith(text))
          yield* this.walk(join(directory, entry.name), text, wanted);
      } else if (text.startsWith(wanted)) {
        yield text;
      }
    }
  }
}
