// `npm run test:python`: the Python client as a desk installs and runs it. clients/python/ is installed with pip,
// offline (--no-index, Debian's setuptools as build backend), into a virtual environment of Debian's python3 that
// sees Debian's pandas; then its tests (test/python/test_*.py) run with Debian's pytest against a real stack: the
// days stored by the pipeline from the simulator (a month of Core maxExchanges with one day left out and one revised,
// a day of the flow-based domain and of net positions), the API listening on a free port, a key of every dataset.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../domain/calendar';
import { DATASETS, type Dataset } from '../../domain/datasets';
import type { DeliveryDay } from '../../domain/types';
import { createTestKey, startTestApi, type TestApi } from '../helpers/api';
import { PANDAS_PYTHON } from '../helpers/pandas';
import { createPipelineHarness, type PipelineHarness } from '../helpers/pipeline';
import { REPO_ROOT } from '../helpers/processes';
import { storeSimulatedDay } from '../helpers/simulatedDays';

const NOW = new Date('2026-11-22T12:00:00Z');
/** The stored month of Core maxExchanges, but for GAP; REVISED is stored, then revised at REVISION. */
const MONTH = { from: '2026-06-01', to: '2026-06-30' } as const;
const GAP: DeliveryDay = '2026-06-17';
const REVISED: DeliveryDay = '2026-06-11';
const FIRST_WRITE = new Date('2026-06-10T10:00:00Z');
const REVISION = new Date('2026-06-10T16:00:00Z');
/** A day of the flow-based domain and of the net positions (Advanced Hybrid Coupling's first day: 23 hubs). */
const DOMAIN_DAY: DeliveryDay = '2026-06-11';
/** pytest's exit status when it collected no test: a run that tested nothing must not pass. */
const NO_TESTS_COLLECTED = 5;

let harness: PipelineHarness;
let api: TestApi;
let key: string;
let workDir: string;
let python: string;

function run(command: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ status: number | null; output: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** A virtual environment of Debian's python3 (its pandas and pytest visible), the client installed offline. */
async function installClient(): Promise<string> {
  const venv = join(workDir, 'venv');
  const made = spawnSync(PANDAS_PYTHON, ['-m', 'venv', '--system-site-packages', '--without-pip', venv], {
    encoding: 'utf8',
  });
  expect(made.status, made.stderr).toBe(0);
  // A copy: the build writes build/ and *.egg-info beside the sources.
  const source = join(workDir, 'client');
  cpSync(join(REPO_ROOT, 'clients', 'python'), source, { recursive: true });
  const bin = join(venv, 'bin', 'python');
  const install = await run(PANDAS_PYTHON, [
    '-m',
    'pip',
    '--python',
    bin,
    'install',
    // As a user installs it (build isolation on), with no index to fall back on: nothing may be downloaded.
    '--no-index',
    '--disable-pip-version-check',
    source,
  ]);
  expect(install.status, install.output).toBe(0);
  return bin;
}

beforeAll(async () => {
  const tools = spawnSync(PANDAS_PYTHON, ['-c', 'import pandas, pytest, venv, setuptools, wheel'], {
    encoding: 'utf8',
  });
  if (tools.status !== 0) {
    throw new Error(
      `${PANDAS_PYTHON} cannot import pandas, pytest, venv, setuptools and wheel: run scripts/ensure-pytest.sh`,
    );
  }
  workDir = mkdtempSync(join(tmpdir(), 'jao-python-client-'));
  harness = await createPipelineHarness('python-client', { now: () => NOW });
  await harness.startWorkers();
  for (const dataset of ['coreFinalComputation', 'coreNetPos'] as const) {
    const result = await harness.runDay(DOMAIN_DAY, dataset);
    expect([dataset, result.status]).toEqual([dataset, 'complete']);
  }
  const store = (dataset: Dataset, day: DeliveryDay, at: Date) =>
    storeSimulatedDay(harness.db.pool, harness.simulator, dataset, day, at);
  for (let day: DeliveryDay = MONTH.from; day <= MONTH.to; day = addDays(day, 1)) {
    if (day !== GAP) await store('maxExchanges', day, FIRST_WRITE);
  }
  harness.simulator.reviseDay(REVISED, 'maxExchanges');
  await store('maxExchanges', REVISED, REVISION);
  key = await createTestKey(harness.db.pool, [...DATASETS]);
  api = await startTestApi(harness.db.url);
  python = await installClient();
}, 600_000);

afterAll(async () => {
  await api?.close();
  await harness?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the Python client (clients/python) against a real API', () => {
  it('installs offline and passes its tests with pytest', async () => {
    const pytest = await run(
      python,
      ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', join(REPO_ROOT, 'test', 'python')],
      {
        JAO_API_URL: api.url,
        JAO_API_KEY: key,
        JAO_TEST_MONTH_FROM: MONTH.from,
        JAO_TEST_MONTH_TO: MONTH.to,
        JAO_TEST_GAP: GAP,
        JAO_TEST_REVISED: REVISED,
        JAO_TEST_BETWEEN_WRITES: new Date((FIRST_WRITE.getTime() + REVISION.getTime()) / 2).toISOString(),
        JAO_TEST_DOMAIN_DAY: DOMAIN_DAY,
        PYTHONDONTWRITEBYTECODE: '1',
      },
    );
    console.log(`pytest: ${pytest.output.trim().split('\n').at(-1)}`);
    expect(pytest.status, `pytest collected no test:\n${pytest.output}`).not.toBe(NO_TESTS_COLLECTED);
    expect(pytest.status, pytest.output).toBe(0);
    expect(pytest.output).toMatch(/\d+ passed/);
    expect(pytest.output).not.toMatch(/\d+ (failed|error|skipped)/);
  });
});
