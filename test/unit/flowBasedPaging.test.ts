// The pages of a paged answer (domain/flowBased/paging.ts).
import { describe, expect, it } from 'vitest';
import { pagesFor } from '../../domain/flowBased/paging';

describe('pages of a paged answer', () => {
  it('cover the count, the last one short', () => {
    expect(pagesFor(13, 5)).toEqual([
      { skip: 0, take: 5 },
      { skip: 5, take: 5 },
      { skip: 10, take: 5 },
    ]);
    expect(pagesFor(0, 5)).toEqual([]);
    expect(() => pagesFor(13, 0)).toThrow('take must be a whole number ≥ 1, got 0');
  });
});
