// The file archive (archive/fileStore.ts) on the real file system: the store's promises, and what a directory adds.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileArchiveStore } from '../../archive/fileStore';
import { ArchiveKeyError } from '../../archive/store';
import { archiveStoreConformance } from '../helpers/archiveStoreConformance';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A store over a directory that does not exist yet: the first write creates it. */
function freshStore(): FileArchiveStore {
  const parent = mkdtempSync(join(tmpdir(), 'jao-archive-'));
  directories.push(parent);
  return new FileArchiveStore(join(parent, 'archive'));
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' }).filter((path) =>
    statSync(join(directory, path)).isFile(),
  );
}

describe('file archive store', () => {
  archiveStoreConformance(freshStore);

  it('keeps one file per key, with sub-directories for "/", and leaves no temporary file behind', async () => {
    const store = freshStore();
    const directory = new URL(store.location).pathname;
    await Promise.all(
      Array.from({ length: 4 }, () => store.putIfAbsent('objects/ab/abc', new Uint8Array([1]))),
    );
    await store.putIfAbsent('index', new Uint8Array([2]));
    expect(filesUnder(directory).sort()).toEqual(['index', join('objects', 'ab', 'abc')]);
    expect(statSync(join(directory, 'objects', 'ab', 'abc')).mode & 0o777).toBe(0o644);
  });

  it('refuses a key that would escape the directory or hide among temporary files', async () => {
    const store = freshStore();
    for (const key of ['', '/abs', 'a//b', 'a/', '../up', 'a/../b', '.hidden', 'a/.tmp-1', 'nul\0']) {
      await expect(store.putIfAbsent(key, new Uint8Array()), JSON.stringify(key)).rejects.toThrow(
        ArchiveKeyError,
      );
      await expect(store.get(key), JSON.stringify(key)).rejects.toThrow(ArchiveKeyError);
    }
  });

  it('lists nothing and gets nothing from an archive never written', async () => {
    const store = freshStore();
    for await (const key of store.list('')) expect.fail(`unexpected key ${key}`);
    expect(await store.get('anything')).toBeUndefined();
  });

  it('names its directory as a file URL', () => {
    expect(new FileArchiveStore('/srv/jao archive').location).toBe('file:///srv/jao%20archive');
  });
});
