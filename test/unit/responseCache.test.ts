import { describe, expect, it } from 'vitest';
import { ResponseCache } from '../../api/responseCache';

const body = (bytes: number, fill = 'x') => Buffer.alloc(bytes, fill);

describe('ResponseCache', () => {
  it('keeps answers within its byte budget, dropping the least recently used first', () => {
    const cache = new ResponseCache(10, 6);
    cache.set('a', body(4, 'a'));
    cache.set('b', body(4, 'b'));
    expect(cache.get('a')?.toString()).toBe('aaaa'); // a is now the most recently used
    cache.set('c', body(4, 'c'));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.toString()).toBe('aaaa');
    expect(cache.get('c')?.toString()).toBe('cccc');
    expect(cache.size).toEqual({ entries: 2, bytes: 8 });
  });

  it('never keeps an answer larger than one entry may be', () => {
    const cache = new ResponseCache(10, 6);
    cache.set('big', body(7));
    expect(cache.get('big')).toBeUndefined();
    expect(cache.size).toEqual({ entries: 0, bytes: 0 });
  });

  it('replaces an entry under the same ETag without counting it twice', () => {
    const cache = new ResponseCache(10, 6);
    cache.set('a', body(5));
    cache.set('a', body(3));
    expect(cache.size).toEqual({ entries: 1, bytes: 3 });
  });

  it('keeps an empty answer', () => {
    const cache = new ResponseCache(10, 6);
    cache.set('empty', body(0));
    expect(cache.get('empty')?.length).toBe(0);
  });
});
