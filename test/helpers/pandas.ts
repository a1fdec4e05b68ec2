// The desk's domain check (docs/examples/domain_check.py) run as a desk runs it: Debian's python3 with Debian's
// pandas, psql on PATH (scripts/ensure-pandas.sh provides both).
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './processes';

/** The interpreter python3-pandas is built for; PANDAS_PYTHON names another. */
export const PANDAS_PYTHON = process.env.PANDAS_PYTHON || '/usr/bin/python3';
export const DOMAIN_CHECK = join(REPO_ROOT, 'docs', 'examples', 'domain_check.py');

/** Why the check cannot run here, naming what installs it; null when it can. */
export function pandasMissingNote(): string | null {
  const pandas = spawnSync(PANDAS_PYTHON, ['-c', 'import pandas'], { encoding: 'utf8' });
  if (pandas.status !== 0)
    return `pandas is not importable by ${PANDAS_PYTHON} (apt-get install python3-pandas, or run scripts/ensure-pandas.sh)`;
  if (spawnSync('sh', ['-c', 'command -v psql']).status !== 0)
    return 'psql not found on PATH (apt-get install postgresql-client, or run scripts/ensure-pandas.sh)';
  return null;
}

export interface CheckRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** docs/examples/domain_check.py with `args`, to its end. */
export function runDomainCheck(args: readonly string[]): Promise<CheckRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(PANDAS_PYTHON, [DOMAIN_CHECK, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
