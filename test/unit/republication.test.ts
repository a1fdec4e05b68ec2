import { describe, expect, it } from 'vitest';
import { dayEventTypeOf } from '../../db/dayEvents';
import { isRepublication, type RepublicationFacts } from '../../domain/republication';

const republishing: RepublicationFacts = {
  reprocess: false,
  storedBefore: true,
  contentChanged: false,
  movedFields: 96,
  recheckError: null,
};

describe('isRepublication', () => {
  it('is a stored day answered with the same values and moved extra row fields', () => {
    expect(isRepublication(republishing)).toBe(true);
  });

  it('is no re-publication when a value changed: that is a revision', () => {
    expect(isRepublication({ ...republishing, contentChanged: true })).toBe(false);
  });

  it('is no re-publication when no extra field moved, the day was not stored, or a reprocessing wrote it', () => {
    expect(isRepublication({ ...republishing, movedFields: 0 })).toBe(false);
    expect(isRepublication({ ...republishing, storedBefore: false })).toBe(false);
    expect(isRepublication({ ...republishing, reprocess: true })).toBe(false);
  });

  it('is no re-publication when the re-check met a worse answer', () => {
    expect(isRepublication({ ...republishing, recheckError: 'answered partial' })).toBe(false);
  });
});

describe('dayEventTypeOf a re-publication', () => {
  it('raises day.republished, and day.revised still wins when values changed', () => {
    const write = { revision: 2, status: 'complete' as const, recheckError: null, republished: true };
    expect(dayEventTypeOf({ ...write, contentChanged: false })).toBe('day.republished');
    expect(dayEventTypeOf({ ...write, contentChanged: true })).toBe('day.revised');
  });
});
