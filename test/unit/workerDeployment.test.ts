import type { Connection } from '@temporalio/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decidePromotion, superviseDeploymentVersion, TAKEOVER_AFTER_MS } from '../../control/deployment';

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

describe('a promotion the server refuses', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A registered build, no current version, and a server that refuses to make it current until told otherwise. */
  function refusingServer(details: string) {
    let refusing = true;
    const promotions: string[] = [];
    const workflowService = {
      describeWorkerDeployment: async () => ({
        workerDeploymentInfo: {
          versionSummaries: [{ deploymentVersion: { buildId: 'new' } }],
          routingConfig: {},
        },
      }),
      setWorkerDeploymentCurrentVersion: async ({ buildId }: { buildId: string }) => {
        promotions.push(buildId);
        if (refusing)
          throw Object.assign(new Error(`9 FAILED_PRECONDITION: ${details}`), {
            code: 9,
            details,
            metadata: {},
          });
        return {};
      },
    };
    return {
      connection: { workflowService } as unknown as Connection,
      promotions,
      accept: () => (refusing = false),
    };
  }

  it("is retried quietly while the build registers, then reported with the server's reason, and promoted once accepted", async () => {
    vi.useFakeTimers();
    const details = 'task queue jao-fetch is not polled by build new';
    const server = refusingServer(details);
    const lines: string[] = [];
    const supervisor = superviseDeploymentVersion(
      server.connection,
      { namespace: 'default', deploymentName: 'jao', buildId: 'new', taskQueue: 'jao' },
      (line) => lines.push(line),
      { checkEveryMs: 10_000 },
    );
    // About five seconds of refusals, checked every quarter second, say nothing: registration takes moments.
    await vi.advanceTimersByTimeAsync(4_000);
    expect(server.promotions.length).toBeGreaterThan(10);
    expect(lines).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(lines).toEqual([`deployment jao: build new cannot become current: ${details}`]);
    // Reported once, then checked at the regular pace.
    const refused = server.promotions.length;
    await vi.advanceTimersByTimeAsync(8_000);
    expect(server.promotions.length).toBe(refused);
    expect(lines).toHaveLength(1);
    server.accept();
    await vi.advanceTimersByTimeAsync(1_000);
    await supervisor.current;
    expect(lines.at(-1)).toBe(
      'deployment jao: build new is now current (the deployment has no current version)',
    );
    await supervisor.stop();
  });
});
