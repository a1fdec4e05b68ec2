// The file archive (archive/fileStore.ts) on the real file system: the store's promises, and what a directory adds.
// A failing disk and the flushes to it are seen through FileHandle's methods (what `open` of node:fs/promises
// returns), spied on: the writes still reach the real file system.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileArchiveStore } from '../../archive/fileStore';
import { ArchiveKeyError, ArchiveUnavailableError } from '../../archive/store';
import { archiveStoreConformance } from '../helpers/archiveStoreConformance';

const directories: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A store over a directory that does not exist yet: the first write creates it. */
function freshStore(): FileArchiveStore {
  const parent = mkdtempSync(join(tmpdir(), 'jao-archive-'));
  directories.push(parent);
  return new FileArchiveStore(join(parent, 'archive'));
}

/** The methods every FileHandle shares, whatever opened it. */
let fileHandles: FileHandle;
beforeAll(async () => {
  const parent = mkdtempSync(join(tmpdir(), 'jao-archive-'));
  directories.push(parent);
  const handle = await open(join(parent, 'probe'), 'w');
  fileHandles = Object.getPrototypeOf(handle) as FileHandle;
  await handle.close();
});

/** What a full disk answers. */
const diskFull = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

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

  it('removes its temporary file when writing or flushing it fails, and can write the key afterwards', async () => {
    const store = freshStore();
    const directory = new URL(store.location).pathname;
    await store.putIfAbsent('objects/ab/first', new Uint8Array([1]));
    // The directory exists now: the next flush is the temporary file's.
    for (const method of ['writeFile', 'sync'] as const) {
      const failing = vi.spyOn(fileHandles, method).mockRejectedValueOnce(diskFull());
      const failed = store.putIfAbsent('objects/ab/abc', new Uint8Array([2]));
      await expect(failed, method).rejects.toThrow(ArchiveUnavailableError);
      await expect(failed, method).rejects.toThrow(/cannot write objects\/ab\/abc: ENOSPC/);
      expect(failing, method).toHaveBeenCalled();
      failing.mockRestore();
      expect(readdirSync(join(directory, 'objects', 'ab')), method).toEqual(['first']);
    }
    expect(await store.putIfAbsent('objects/ab/abc', new Uint8Array([2]))).toBe('written');
    expect(filesUnder(directory).sort()).toEqual([
      join('objects', 'ab', 'abc'),
      join('objects', 'ab', 'first'),
    ]);
  });

  it("flushes the object's bytes before linking it under its key, and its directory after", async () => {
    const store = freshStore();
    const directory = new URL(store.location).pathname;
    const keyPath = join(directory, 'objects', 'ab', 'abc');
    const sync = fileHandles.sync;
    const flushed: Array<{ ino: number; linked: boolean }> = [];
    vi.spyOn(fileHandles, 'sync').mockImplementation(async function (this: FileHandle) {
      flushed.push({ ino: (await this.stat()).ino, linked: existsSync(keyPath) });
      return sync.call(this);
    });
    expect(await store.putIfAbsent('objects/ab/abc', new Uint8Array([1]))).toBe('written');
    // Named by path (a hard link shares its inode: the temporary file is the object's).
    const parent = join(directory, '..');
    const names = new Map(
      [parent, directory, join(directory, 'objects'), join(directory, 'objects', 'ab'), keyPath].map(
        (path) => [statSync(path).ino, relative(parent, path) || '.'],
      ),
    );
    const seen = flushed.map(({ ino, linked }) => ({ path: names.get(ino) ?? String(ino), linked }));
    // Each new directory's entry in its parent first, then the bytes, then the new name's entry.
    expect(
      seen
        .slice(0, 3)
        .map(({ path }) => path)
        .sort(),
    ).toEqual(['.', 'archive', join('archive', 'objects')]);
    expect(seen.slice(3)).toEqual([
      { path: join('archive', 'objects', 'ab', 'abc'), linked: false },
      { path: join('archive', 'objects', 'ab'), linked: true },
    ]);
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
