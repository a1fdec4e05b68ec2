// The runtime image's CLI (docs/deployment.md): `npm run build`'s compiled tree, laid out as the Dockerfile's
// runtime stage lays it out (bin/jao.js, dist/, package.json, the production dependencies only: no tsx), runs on
// plain Node.
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { buildInfoSchema } from '../../common/buildInfo';
import { BUILD_INFO_FILE } from '../../workers/workflowBundle';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { databaseUrlFor, quoteIdent, withAdminClient } from '../helpers/postgres';
import { REPO_ROOT, TEST_CLI_ENV } from '../helpers/processes';
import { uniqueTaskQueue } from '../helpers/temporal';

const lockSchema = z.object({
  packages: z.record(z.string(), z.object({ dev: z.boolean().optional() })),
});

/** node_modules as `npm ci --omit=dev` leaves it: links to the checkout's packages that are no dev dependency. */
function linkProductionDependencies(appDir: string): string[] {
  const lock = lockSchema.parse(JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')));
  const linked: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const topLevel = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(path);
    if (!topLevel?.[1] || entry.dev || !existsSync(join(REPO_ROOT, path))) continue;
    mkdirSync(dirname(join(appDir, path)), { recursive: true });
    symlinkSync(join(REPO_ROOT, path), join(appDir, path), 'dir');
    linked.push(topLevel[1]);
  }
  return linked;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runNode(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, args, { cwd, env: { ...inherited, ...env }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the compiled CLI of the runtime image', () => {
  let tempDir: string;
  let appDir: string;
  let linked: string[];
  beforeAll(() => {
    tempDir = mkdtempSync(join(tmpdir(), 'jao-image-'));
    appDir = join(tempDir, 'app');
    mkdirSync(join(appDir, 'bin'), { recursive: true });
    for (const file of ['jao.js', 'check-node.js'])
      copyFileSync(join(REPO_ROOT, 'bin', file), join(appDir, 'bin', file));
    copyFileSync(join(REPO_ROOT, 'package.json'), join(appDir, 'package.json'));
    linked = linkProductionDependencies(appDir);
    const build = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'run-ts.js'), 'scripts/build.ts', join(appDir, 'dist'), '--no-bundle'],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
  });
  afterAll(() => {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  });

  it('holds compiled JavaScript of the runtime folders only, and no tsx beside it', () => {
    expect(linked).toContain('@temporalio/worker');
    expect(linked).not.toContain('tsx');
    expect(linked).not.toContain('typescript');
    expect(readdirSync(join(appDir, 'dist')).sort()).toEqual(
      [
        'activities',
        'archive',
        'cli',
        'common',
        'control',
        'db',
        'domain',
        'package.json',
        'page-assets',
        'source',
        'workers',
        'workflows',
        ...(existsSync(join(REPO_ROOT, 'api')) ? ['api'] : []),
      ].sort(),
    );
    const files = readdirSync(join(appDir, 'dist'), { recursive: true, encoding: 'utf8' });
    expect(files.filter((file) => file.endsWith('.ts'))).toEqual([]);
    expect(files).toContain(join('cli', 'main.js'));
    expect(files).not.toContain(join('cli', 'commands', 'simulate.js'));
    // The status page's bundle: the image has no esbuild to bundle it from source.
    expect(files).toEqual(
      expect.arrayContaining([join('page-assets', 'app.js'), join('page-assets', 'app.css')]),
    );
    expect(linked).not.toContain('esbuild');
    const sql = (dir: string) => readdirSync(dir).filter((file) => file.endsWith('.sql'));
    expect(sql(join(appDir, 'dist', 'db', 'migrations'))).toEqual(sql(join(REPO_ROOT, 'db', 'migrations')));
  });

  it('prints its usage', async () => {
    const run = await runNode(['bin/jao.js', '--help'], appDir);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^usage: jao <command>/);
  });

  it('refuses the commands of a source checkout in one line', async () => {
    const commands = ['simulate', 'start', 'cluster'];
    const runs = await Promise.all(
      commands.map((command) => runNode(['bin/jao.js', command, '--port', '8090'], appDir)),
    );
    expect(runs).toEqual(
      commands.map((command) => ({
        code: 2,
        stdout: '',
        stderr: `jao ${command} is not part of this image; run it from a source checkout\n`,
      })),
    );
  });

  describe('against PostgreSQL and Temporal', () => {
    let scratchUrl: string;
    let reference: TestDatabase;
    beforeAll(async () => {
      const adminUrl = inject('adminDatabaseUrl');
      const name = `${inject('databasePrefix')}_image`;
      await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
      scratchUrl = databaseUrlFor(adminUrl, name);
      reference = await createTestDatabase();
    });
    afterAll(async () => {
      await reference?.release();
    });

    it('applies the migrations an empty database needs, as the sources do', async () => {
      const run = await runNode(['bin/jao.js', 'migrate'], appDir, { DATABASE_URL: scratchUrl });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const applied = await withAdminClient(scratchUrl, (client) =>
        client.query('SELECT name, checksum, outcome FROM jao.schema_migrations ORDER BY name'),
      );
      const expected = await reference.pool.query(
        'SELECT name, checksum, outcome FROM jao.schema_migrations ORDER BY name',
      );
      expect(applied.rows.map((row) => row.name)).toContain('001_baseline');
      expect(applied.rows).toEqual(expected.rows);
      expect(run.stdout).toContain(
        `migrations: ${applied.rows.filter((row) => row.outcome === 'applied').length} applied`,
      );
    });

    it('runs the worker from the prebuilt workflow bundle until SIGTERM', async () => {
      const bundlePath = inject('workflowBundlePath');
      const { buildId } = buildInfoSchema.parse(
        JSON.parse(readFileSync(join(dirname(bundlePath), BUILD_INFO_FILE), 'utf8')),
      );
      const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
      const worker = spawn(process.execPath, ['bin/jao.js', 'worker', '--no-schedule'], {
        cwd: appDir,
        env: {
          ...inherited,
          DATABASE_URL: reference.url,
          TEMPORAL_ADDRESS: inject('temporalAddress'),
          TEMPORAL_NAMESPACE: inject('temporalNamespace'),
          TEMPORAL_TASK_QUEUE: uniqueTaskQueue('image'),
          METRICS_PORT: '0',
          WORKFLOW_BUNDLE_PATH: bundlePath,
          ...TEST_CLI_ENV,
        },
        stdio: 'pipe',
      });
      let output = '';
      const exited = new Promise<number | null>((resolve) => worker.on('close', resolve));
      const polling = new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('worker polling task queue')) resolve();
        };
        worker.stdout.on('data', onData);
        worker.stderr.on('data', onData);
        void exited.then(() => reject(new Error(`worker exited before polling:\n${output}`)));
      });
      try {
        await polling;
      } finally {
        worker.kill('SIGTERM');
      }
      expect(await exited).toBe(0);
      expect(output).toMatch(
        new RegExp(`worker polling task queue \\S+; build ${buildId.replace(/\./g, '\\.')}`),
      );
    });

    it('serves the status page from the built bundle', async () => {
      const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
      const api = spawn(process.execPath, ['bin/jao.js', 'api'], {
        cwd: appDir,
        env: { ...inherited, DATABASE_URL: reference.url, API_PORT: '0', LOG_LEVEL: 'warn' },
        stdio: 'pipe',
      });
      let output = '';
      const exited = new Promise<number | null>((resolve) => api.on('close', resolve));
      const listening = new Promise<string>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
          if (url) resolve(url);
        };
        api.stdout.on('data', onData);
        api.stderr.on('data', onData);
        void exited.then(() => reject(new Error(`jao api exited before listening:\n${output}`)));
      });
      try {
        const url = await listening;
        const page = await fetch(`${url}/`);
        expect(page.status).toBe(200);
        const html = await page.text();
        const script = /<script defer src="([^"]+)"/.exec(html)?.[1];
        expect(script).toMatch(/^\/page\/app\.js\?v=/);
        const js = await fetch(`${url}${script}`);
        expect(js.status).toBe(200);
        expect(await js.text()).toBe(readFileSync(join(appDir, 'dist', 'page-assets', 'app.js'), 'utf8'));
      } finally {
        api.kill('SIGTERM');
      }
      expect(await exited).toBe(0);
    });
  });
});
