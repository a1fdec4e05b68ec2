// The compose test's check of the machine's room (test/compose/resources.ts): one line naming what is short.
import { describe, expect, it } from 'vitest';
import { requireRoom } from '../compose/resources';

describe("the compose test's room check", () => {
  it('passes with enough memory and disk, and says how much there is', () => {
    expect(requireRoom({ memoryAvailableMiB: 20_000, diskFreeMiB: 60_000 })).toBe(
      '20000 MiB of memory available, 60000 MiB of disk free',
    );
  });

  it('names each thing that is short, in one line', () => {
    expect(() => requireRoom({ memoryAvailableMiB: 1_000, diskFreeMiB: 60_000 })).toThrow(
      /^the compose test needs more room: 1000 MiB of memory available, it needs 4096 \(/,
    );
    expect(() => requireRoom({ memoryAvailableMiB: 1_000, diskFreeMiB: 287 })).toThrow(
      /1000 MiB of memory available, it needs 4096; 287 MiB free on the disk of \/var\/lib\/containers, it needs 10240/,
    );
  });
});
