// `npm run bench -- client`: the Python client's values() (clients/python) against the CSV endpoint read by pandas
// directly, both in Debian's python3 against the same API: a year of every Core border (132 borders, ~1.16 M
// values). The client asks for shape=wide and returns a frame indexed by MTU in Europe/Amsterdam, a column per
// border; the baseline GETs the long CSV and hands its bytes to pd.read_csv. The best of a few rounds of each, in
// turns. `--smoke`: a week of 6 borders, one round, same target.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { startApi } from '../api/server';
import { createApiKey } from '../db/apiKeys';
import { migrate } from '../db/migrate';
import { createPool, watchClient } from '../db/pool';
import { databaseUrlFor } from './benchDatabase';
import { printTargets, ratio, takeSmokeFlag } from './report';
import { seedValues } from './seedValues';

interface Sizes {
  from: string;
  to: string;
  borders: number | undefined;
  rounds: number;
}

const FULL: Sizes = { from: '2023-01-01', to: '2023-12-31', borders: undefined, rounds: 3 };
const SMOKE: Sizes = { from: '2023-01-01', to: '2023-01-07', borders: 6, rounds: 1 };
/** The client's values() at most this many times the CSV endpoint read by pandas. */
const MAX_RATIO = 1.5;

export const TARGET_NAMES = [`client values() ≤ ${MAX_RATIO} × the CSV endpoint read by pandas`] as const;

const REPO_ROOT = join(__dirname, '..');
/** The interpreter Debian's python3-pandas is built for (scripts/ensure-pandas.sh); PANDAS_PYTHON names another. */
const PYTHON = process.env.PANDAS_PYTHON || '/usr/bin/python3';

const measuredSchema = (text: string) =>
  JSON.parse(text) as {
    seconds: { client: number; direct: number };
    shapes: {
      client: { rows: number; columns: number; values: number };
      direct: { rows: number; values: number };
    };
  };

/** bench/client_values.py against the API, its JSON line parsed. */
function runPython(apiUrl: string, key: string, sizes: Sizes): Promise<ReturnType<typeof measuredSchema>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      PYTHON,
      [join(REPO_ROOT, 'bench', 'client_values.py'), sizes.from, sizes.to, String(sizes.rounds)],
      {
        env: {
          ...process.env,
          JAO_API_URL: apiUrl,
          JAO_API_KEY: key,
          PYTHONPATH: join(REPO_ROOT, 'clients', 'python', 'src'),
          PYTHONDONTWRITEBYTECODE: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`bench:client: ${PYTHON} exited with ${code}: ${stderr.trim()}`));
      else resolve(measuredSchema(stdout.trim().split('\n').at(-1) ?? ''));
    });
  });
}

export async function runClientBenchmark(args: string[]): Promise<void> {
  const { smoke, rest } = takeSmokeFlag(args);
  if (rest.length > 0) throw new Error(`bench client: unknown argument ${rest[0]} (only --smoke)`);
  const sizes = smoke ? SMOKE : FULL;
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `jao_bench_client_${process.pid}`;
  const admin = watchClient(new pg.Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') }));
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  const ownerUrl = databaseUrlFor(serverUrl, database);
  const readerUrl = new URL(ownerUrl);
  readerUrl.username = 'jao_reader';
  readerUrl.password = '';
  const pool = createPool(ownerUrl, { max: 4, applicationName: 'bench:client' });
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  try {
    await migrate(pool);
    const seeded = await seedValues(pool, sizes.from, sizes.to, { borders: sizes.borders });
    await pool.query('VACUUM (ANALYZE) jao.observation');
    console.log(
      `bench:client${smoke ? ' --smoke' : ''}: ${seeded.values} values of ${seeded.borders} borders, ` +
        `${sizes.from}..${sizes.to}; Python ${PYTHON}, best of ${sizes.rounds}`,
    );
    const { token } = await createApiKey(pool, { name: 'bench', datasets: ['maxExchanges'] });
    api = await startApi({
      host: '127.0.0.1',
      port: 0,
      databaseUrl: readerUrl.toString(),
      maxRangeDays: 3660,
      rateLimitPerMinute: 1_000_000,
      logLevel: 'warn',
      temporal: null,
      temporalUiUrl: 'http://127.0.0.1:8233',
      taskQueue: 'jao-scraper',
    });
    const measured = await runPython(api.url, token, sizes);
    const { client, direct } = measured.seconds;
    const shapes = measured.shapes;
    if (shapes.client.values !== seeded.values || shapes.direct.values !== seeded.values) {
      throw new Error(
        `bench:client: read ${shapes.client.values} values with the client and ${shapes.direct.values} directly, ` +
          `${seeded.values} seeded`,
      );
    }
    console.log(`  CSV endpoint read by pandas (long, ${shapes.direct.rows} rows): ${direct.toFixed(2)} s`);
    console.log(
      `  client values() (a frame of ${shapes.client.rows} MTUs × ${shapes.client.columns} borders, tz-aware): ` +
        `${client.toFixed(2)} s; ${ratio(client, direct)} (client / direct)`,
    );
    printTargets([
      {
        name: TARGET_NAMES[0],
        met: client <= MAX_RATIO * direct,
        measured: `${(client / direct).toFixed(2)} ×`,
      },
    ]);
  } finally {
    await api?.close();
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}
