import { describe, expect, it } from 'vitest';
import { decidePromotion, TAKEOVER_AFTER_MS } from '../../control/deployment';

const facts = { buildId: 'new', registered: true, currentBuildId: 'old', currentLastPollAgeMs: 5_000 };

describe('promotion of a build under Worker Versioning', () => {
  it('takes a deployment without a current version, and never one whose current build still polls', () => {
    expect(decidePromotion({ ...facts, currentBuildId: null })).toMatchObject({ kind: 'promote' });
    expect(decidePromotion(facts)).toMatchObject({ kind: 'wait', currentBuildId: 'old' });
    expect(decidePromotion({ ...facts, currentLastPollAgeMs: TAKEOVER_AFTER_MS })).toMatchObject({
      kind: 'wait',
    });
  });

  it('takes over once no worker of the current build has polled for the takeover time', () => {
    expect(decidePromotion({ ...facts, currentLastPollAgeMs: TAKEOVER_AFTER_MS + 1 })).toMatchObject({
      kind: 'promote',
    });
    expect(decidePromotion({ ...facts, currentLastPollAgeMs: null })).toMatchObject({ kind: 'promote' });
  });

  it('waits until registered, and is done once current', () => {
    expect(decidePromotion({ ...facts, registered: false, currentBuildId: null })).toMatchObject({
      kind: 'wait',
    });
    expect(decidePromotion({ ...facts, currentBuildId: 'new' })).toEqual({ kind: 'current' });
  });
});
