// The slow-file report printed after every run's summary (test/helpers/slowestFiles.mts).
import { describe, expect, it } from 'vitest';
import { slowestLines } from '../helpers/slowestFiles.mts';

describe('the slow-file report', () => {
  it('lists the slowest files first, at most the number asked, their times aligned, failures marked', () => {
    const files = [
      { name: 'test/a.test.ts', seconds: 3.21, failed: false },
      { name: 'test/b.test.ts', seconds: 45.04, failed: true },
      { name: 'test/c.test.ts', seconds: 0.5, failed: false },
    ];
    expect(slowestLines(files, 2)).toEqual([
      "Slowest 2 of 3 files (each file's own time; 49 s summed over all files):",
      '  45.0 s  test/b.test.ts  (failed)',
      '   3.2 s  test/a.test.ts',
    ]);
  });

  it('prints nothing when no file ran', () => {
    expect(slowestLines([])).toEqual([]);
  });
});
