// Workflow code evolves while histories are in flight: every stored history (test/replay/histories, captured
// from real runs by `npm run histories:capture`) must replay against the current build, and a build that
// changes a workflow's commands without a patch must fail here, not in production.
import { join } from 'node:path';
import { type BundleOptions, bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../../common/buildInfo';
import { BUNDLE_FILE, bundleWorkflows, readWorkflowBundle } from '../../workers/workflowBundle';
import '../helpers/context';
import { loadStoredHistories, type StoredHistory, WORKFLOW_TYPES } from './manifest';

/** The run's bundle under `npm test`; the one `npm run build` wrote under `npm run test:replay`. */
function currentBundleCode(): string {
  const path =
    inject('workflowBundlePath') ?? process.env.JAO_REPLAY_BUNDLE ?? join(REPO_ROOT, 'dist', BUNDLE_FILE);
  return readWorkflowBundle(path).code;
}

interface Replayed {
  name: string;
  error: Error | undefined;
}

async function replayAll(code: string, histories: StoredHistory[]): Promise<Replayed[]> {
  const results = Worker.runReplayHistories(
    { workflowBundle: { code }, replayName: 'jao-replay' },
    histories.map(({ workflowId, history }) => ({ workflowId, history })),
  );
  const replayed: Replayed[] = [];
  let index = 0;
  for await (const result of results) {
    replayed.push({ name: histories[index]!.name, error: result.error });
    index += 1;
  }
  return replayed;
}

const failures = (replayed: Replayed[]) =>
  replayed.filter((r) => r.error !== undefined).map((r) => `${r.name}: ${r.error!.message.split('\n')[0]}`);

const DAY_ENDINGS = ['complete', 'partial', 'invalid', 'not-published', 'failed', 'recheck-nothing'];

/** Chains of runs that must have continued as new and then ended. */
const CONTINUE_AS_NEW_CHAINS = [
  'backfill-continue-as-new',
  'reprocess-continue-as-new',
  'publication-complete',
  'restore-continue-as-new',
];

describe('stored workflow histories', () => {
  const stored = loadStoredHistories();

  it('cover every workflow type and every ending the pipeline has', () => {
    expect(new Set(stored.map((h) => h.workflowType))).toEqual(new Set(WORKFLOW_TYPES));
    const scenarios = new Set(stored.map((h) => h.scenario));
    for (const ending of DAY_ENDINGS) expect(scenarios).toContain(`day-${ending}`);
    for (const scenario of [
      ...CONTINUE_AS_NEW_CHAINS,
      'backfill-cancelled',
      'backfill-day-cancelled-alone',
      'backfill-rechecks-lost-day',
      'backfill-day-lost-after-rerun',
      'poll-skips-busy-day',
      'day-child-of-backfill',
      'day-failed-in-backfill',
      'day-cancelled-with-backfill',
      'day-cancelled-alone',
      'day-rerun-like-backfill-child',
      'day-failed-store-unreachable',
      'day-failed-unrecorded',
      'publication-outside-window',
      'publication-window-closes',
      'publication-check-cancelled',
      'reprocess-day-child',
      'reprocess-day-without-answer',
      'bad-days-sync',
      'bad-day-marker-over',
      'bad-day-refused',
      'bad-day-markers-continue-as-new',
    ])
      expect(scenarios).toContain(scenario);
    for (const scenario of CONTINUE_AS_NEW_CHAINS) {
      const chain = stored.filter((h) => h.scenario === scenario).map((h) => h.ending);
      expect(chain, scenario).toContain('CONTINUED_AS_NEW');
      expect(chain.at(-1), scenario).toBe('COMPLETED');
    }
  });

  it('replay against the current build without a determinism violation', async () => {
    const replayed = await replayAll(currentBundleCode(), stored);
    expect(replayed).toHaveLength(stored.length);
    expect(failures(replayed)).toEqual([]);
  });
});

describe('a build that changes workflow commands without a patch', () => {
  const stored = loadStoredHistories();
  let leadingTimer: string;
  let remoteStore: string;

  beforeAll(async () => {
    leadingTimer = await bundleWorkflows(join(__dirname, 'variants', 'leadingTimer.ts'));
    remoteStore = await bundleWithActivitiesOf(join(__dirname, 'variants', 'remoteStoreActivities.ts'));
  }, 120_000);

  it('fails replay of every stored history when each workflow starts with a new timer', async () => {
    const replayed = await replayAll(leadingTimer, stored);
    for (const { name, error } of replayed) {
      expect(error, name).toBeInstanceOf(DeterminismViolationError);
    }
  });

  it('fails replay of every day that reached validation when validate/write are no longer local', async () => {
    const reachedValidation = stored.filter(
      (h) =>
        h.workflowType === 'deliveryDayWorkflow' &&
        /complete|partial|invalid|not-published|recheck-nothing|child/.test(h.scenario) &&
        !storeStepsAreActivityTasks(h.history),
    );
    expect(reachedValidation.length).toBeGreaterThanOrEqual(DAY_ENDINGS.length);
    const replayed = await replayAll(remoteStore, reachedValidation);
    for (const { name, error } of replayed) {
      expect(error, name).toBeInstanceOf(DeterminismViolationError);
    }
  });
});

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];
type WebpackPlugin = NonNullable<WebpackConfig['plugins']>[number];

interface ResolveData {
  request: string;
  contextInfo: { issuer: string };
}
interface Compiler {
  hooks: {
    normalModuleFactory: {
      tap(
        name: string,
        fn: (factory: {
          hooks: { beforeResolve: { tap(name: string, fn: (data: ResolveData) => void): void } };
        }) => void,
      ): void;
    };
  };
}

/** The current workflows, except that deliveryDay.ts imports its activity proxies from `variantPath`. */
async function bundleWithActivitiesOf(variantPath: string): Promise<string> {
  const deliveryDay = join(REPO_ROOT, 'workflows', 'deliveryDay.ts');
  const swapActivities = {
    apply(compiler: Compiler) {
      compiler.hooks.normalModuleFactory.tap('jao-replay-variant', (factory) => {
        factory.hooks.beforeResolve.tap('jao-replay-variant', (data) => {
          if (data.request === './activities' && data.contextInfo.issuer === deliveryDay)
            data.request = variantPath;
        });
      });
    },
  } as unknown as WebpackPlugin;
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };
  const bundle = await bundleWorkflowCode({
    workflowsPath: join(REPO_ROOT, 'workflows', 'index.ts'),
    logger: quiet,
    webpackConfigHook: (config) => ({ ...config, plugins: [...(config.plugins ?? []), swapActivities] }),
  });
  return bundle.code;
}

/** A day whose validate ran as an activity of its own (STORE_ACTIVITY_TASKS_PATCH): it replays remote steps. */
function storeStepsAreActivityTasks(history: StoredHistory['history']): boolean {
  return (history.events ?? []).some(
    (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'validateStoredDay',
  );
}
