// What every ArchiveStore promises (archive/store.ts), run against each store: the file store and a real S3 server.
import { createHash, randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { ArchiveStore } from '../../archive/store';

async function collect(keys: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const key of keys) all.push(key);
  return all;
}

/** The page size an S3 store under test lists with: small, so that a few hundred keys span several pages. */
export const LIST_PAGE_SIZE_IN_TESTS = 40;

const bytes = (text: string) => new TextEncoder().encode(text);
const byteOrder = (keys: string[]) =>
  [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

/** Registers the conformance tests; `store()` gives a store over an empty archive, fresh for each test. */
export function archiveStoreConformance(store: () => ArchiveStore): void {
  it('gives back the exact bytes written, and undefined for a key never written', async () => {
    const archive = store();
    const body = randomBytes(1000);
    expect(await archive.putIfAbsent('objects/ab/abcdef', body)).toBe('written');
    expect(Buffer.from((await archive.get('objects/ab/abcdef'))!)).toEqual(body);
    expect(await archive.get('objects/ab/abcdeg')).toBeUndefined();
    expect(await archive.get('objects/ab')).toBeUndefined();
    expect(await archive.get('nothing/here/at-all')).toBeUndefined();
    expect(await archive.putIfAbsent('empty', new Uint8Array())).toBe('written');
    expect(await archive.get('empty')).toEqual(new Uint8Array());
  });

  it('keeps the first body of a key: writing it again is a no-op that says so', async () => {
    const archive = store();
    expect(await archive.putIfAbsent('manifest/2024', bytes('first'))).toBe('written');
    expect(await archive.putIfAbsent('manifest/2024', bytes('first'))).toBe('existed');
    expect(await archive.putIfAbsent('manifest/2024', bytes('second'))).toBe('existed');
    expect(new TextDecoder().decode(await archive.get('manifest/2024'))).toBe('first');
    expect(await collect(archive.list(''))).toEqual(['manifest/2024']);
  });

  it('lists the keys under a prefix in ascending byte order, sub-directories and all', async () => {
    const archive = store();
    // '-' (0x2d) sorts before '/' (0x2f) and '0' (0x30) after it: a directory walk sorted by name alone would
    // give a/x before a-b.
    const keys = ['a/x', 'a-b', 'a0', 'a/y/z', 'a/y-1', 'b', 'A', 'a/y/a', 'ab/c', 'é', 'z~'];
    for (const key of [...keys].reverse()) await archive.putIfAbsent(key, bytes(key));
    expect(await collect(archive.list(''))).toEqual(byteOrder(keys));
    expect(await collect(archive.list('a/'))).toEqual(['a/x', 'a/y-1', 'a/y/a', 'a/y/z']);
    expect(await collect(archive.list('a/y'))).toEqual(['a/y-1', 'a/y/a', 'a/y/z']);
    expect(await collect(archive.list('a'))).toEqual(byteOrder(keys.filter((key) => key.startsWith('a'))));
    expect(await collect(archive.list('ab/c'))).toEqual(['ab/c']);
    expect(await collect(archive.list('c'))).toEqual([]);
  });

  it('lists many keys in order, across pages', async () => {
    const archive = store();
    // more than the S3 store's page size in the tests (LIST_PAGE_SIZE_IN_TESTS)
    const keys = Array.from({ length: 3 * LIST_PAGE_SIZE_IN_TESTS + 7 }, (_, index) => {
      const hash = createHash('sha256').update(String(index)).digest('hex');
      return `objects/${hash.slice(0, 2)}/${hash}`;
    });
    for (let start = 0; start < keys.length; start += 20)
      await Promise.all(keys.slice(start, start + 20).map((key) => archive.putIfAbsent(key, bytes(key))));
    const listed = await collect(archive.list('objects/'));
    expect(listed).toEqual(byteOrder(keys));
  });

  it('of many concurrent writers of one key, exactly one writes it, and the object is whole', async () => {
    const archive = store();
    const body = randomBytes(256 * 1024);
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => archive.putIfAbsent('race/key', body)),
    );
    expect(outcomes.filter((outcome) => outcome === 'written')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'existed')).toHaveLength(7);
    expect(Buffer.from((await archive.get('race/key'))!)).toEqual(body);
    expect(await collect(archive.list(''))).toEqual(['race/key']);
  });

  it('stores an object of several megabytes', async () => {
    const archive = store();
    const body = randomBytes(6 * 1024 * 1024);
    expect(await archive.putIfAbsent('large/object', body)).toBe('written');
    const read = await archive.get('large/object');
    expect(read?.byteLength).toBe(body.byteLength);
    expect(createHash('sha256').update(read!).digest('hex')).toBe(
      createHash('sha256').update(body).digest('hex'),
    );
  });

  it('names its location without credentials', () => {
    const archive = store();
    expect(archive.location).toMatch(/^(file|s3):\/\//);
    expect(archive.location).not.toMatch(/@|secret|password/i);
  });
}
