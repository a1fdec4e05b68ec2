// `npm run test:tutorial`: runs docs/tutorial.md as a newcomer would, every ```sh block in order (test/tutorial/steps.ts
// reads them and what each says you will see), against a stack of its own: its own database (and the restore's),
// data directory and free ports, swapped for the reader's defaults. Blocks run in bash from the repository's root,
// in the terminal their first line names: a block's variables are there for the next blocks of the same terminal
// only, as in two terminals; the stack's terminal runs the background blocks, each stopped with Ctrl-C (SIGINT)
// where the page says so. Exit 0 when every step showed what the page promises.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cleanup } from '../../bench/cleanup';
import { freePort } from '../../common/ports';
import { dropDatabase, quoteIdent, withAdminClient } from '../helpers/postgres';
import { REPO_ROOT } from '../helpers/processes';
import { localise, parseTutorial, type Stack, type Terminal, unmet } from './steps';

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
/** Bash's own variables, read-only or meaningless in another shell: not carried from one block to the next. */
const SHELL_OWN =
  '^(BASH|BASHOPTS|BASHPID|BASH_[A-Z_]+|EUID|PPID|SHELLOPTS|UID|GROUPS|FUNCNAME|DIRSTACK|PIPESTATUS|RANDOM|SRANDOM|SECONDS|LINENO|HISTCMD|EPOCHSECONDS|EPOCHREALTIME|_|SHLVL|PWD|OLDPWD|COLUMNS|LINES)$';
const say = (line: string) => console.log(`test:tutorial: ${line}`);
const cleanup = new Cleanup('test:tutorial');
/** A background block (the stack) must show what it promises within this. */
const BACKGROUND_TIMEOUT_MS = 15 * 60_000;
const BLOCK_TIMEOUT_MS = 10 * 60_000;

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function runBash(script: string, env: NodeJS.ProcessEnv): Running {
  const child = spawn('bash', ['-c', script], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: Ctrl-C reaches npm, node and what they started
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A deadline to race against: it does not keep the runner alive once the race is decided. */
const deadline = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

async function main(): Promise<void> {
  const began = Date.now();
  const steps = parseTutorial(readFileSync(join(REPO_ROOT, 'docs', 'tutorial.md'), 'utf8'));
  const adminUrl = new URL(process.env.DATABASE_URL || DEFAULT_ADMIN_URL);
  adminUrl.pathname = '/postgres';
  const server = `${adminUrl.protocol}//${adminUrl.username ? `${adminUrl.username}${adminUrl.password ? `:${adminUrl.password}` : ''}@` : ''}${adminUrl.host}`;
  const database = `jao_tutorial_${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'jao-tutorial-'));
  cleanup.add('data directory', () => rmSync(dataDir, { recursive: true, force: true }));
  const stack: Stack = {
    apiPort: await freePort(),
    uiPort: await freePort(),
    temporalPort: await freePort(),
    simulatorPort: await freePort(),
    server,
    database,
    dataDir,
  };
  const metricsPort = await freePort();
  await withAdminClient(adminUrl.toString(), (client) =>
    client.query(`CREATE DATABASE ${quoteIdent(database)}`),
  );
  cleanup.add(`database ${database}`, () => dropDatabase(adminUrl.toString(), database));
  cleanup.add(`database ${database}_restored`, () =>
    dropDatabase(adminUrl.toString(), `${database}_restored`),
  );
  say(
    `database ${database}, data ${dataDir}, API ${stack.apiPort}, Temporal ${stack.temporalPort}, UI ${stack.uiPort}, simulator ${stack.simulatorPort}`,
  );

  // What each terminal would hold between its blocks: the runner's settings, then its blocks' exports.
  const envFiles: Record<Terminal, string> = {
    yours: join(dataDir, 'your-terminal.env'),
    stack: join(dataDir, 'stack-terminal.env'),
  };
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: `${server}/${database}`,
    TEMPORAL_ADDRESS: `127.0.0.1:${stack.temporalPort}`,
    TEMPORAL_UI_URL: `http://127.0.0.1:${stack.uiPort}`,
    API_PORT: String(stack.apiPort),
    METRICS_PORT: String(metricsPort),
    JAO_DATA_DIR: dataDir,
    LOG_FORMAT: 'json',
  };
  for (const file of Object.values(envFiles)) writeFileSync(file, '');

  const background: { running: Running; line: number }[] = [];
  cleanup.add('background blocks', async () => {
    for (const { running } of background) signalGroup(running.child, 'SIGKILL');
  });
  let failures = 0;
  let ran = 0;
  for (const step of steps) {
    if (step.kind === 'stop') {
      const last = background.pop();
      if (!last)
        throw new Error(`docs/tutorial.md:${step.line}: <!-- stop --> with no background block running`);
      say(`line ${step.line}: Ctrl-C to the block of line ${last.line}`);
      signalGroup(last.running.child, 'SIGINT');
      const code = await Promise.race([
        last.running.exited,
        deadline(120_000).then(() => 'timeout' as const),
      ]);
      if (code === 'timeout') {
        failures++;
        say(`FAIL line ${step.line}: the block of line ${last.line} did not stop within 2 minutes of Ctrl-C`);
        signalGroup(last.running.child, 'SIGKILL');
      } else if (!/\bstopped\b/.test(last.running.output())) {
        failures++;
        say(`FAIL line ${step.line}: the stack ended (${code}) without saying "stopped"`);
      } else say(`PASS line ${step.line}: stopped`);
      continue;
    }
    if (step.skip) {
      say(`skip line ${step.line}: ${step.skip}`);
      continue;
    }
    ran++;
    // A block's variables are saved for the next blocks of its terminal when it ends; not a background block's, which
    // ends at a later Ctrl-C.
    const envFile = envFiles[step.terminal];
    const save = step.background
      ? []
      : [
          `__tutorial_save() { declare -p $(compgen -v | grep -Ev ${quoteShell(SHELL_OWN)}) > ${quoteShell(envFile)} 2>/dev/null; }`,
          'trap __tutorial_save EXIT',
        ];
    const script = [`source ${quoteShell(envFile)}`, ...save, 'set -e', localise(step.script, stack)].join(
      '\n',
    );
    say(`line ${step.line}: ${step.script.split('\n')[0]}${step.script.includes('\n') ? ' …' : ''}`);
    const started = Date.now();
    const running = runBash(script, baseEnv);
    if (step.background) {
      background.push({ running, line: step.line });
      // Waited for: what the page says you will see, until it shows or the stack ends.
      let missing = unmet(step.expect, running.output());
      while (
        missing.length > 0 &&
        Date.now() - started < BACKGROUND_TIMEOUT_MS &&
        running.child.exitCode === null
      ) {
        await sleep(1000);
        missing = unmet(step.expect, running.output());
      }
      if (missing.length > 0) {
        failures++;
        say(`FAIL line ${step.line} (background): ${missing.join('; ')}\n${running.output().slice(-4000)}`);
        break;
      }
      say(`PASS line ${step.line} (background, ${Math.round((Date.now() - started) / 1000)} s)`);
      continue;
    }
    const code = await Promise.race([
      running.exited,
      deadline(BLOCK_TIMEOUT_MS).then(() => 'timeout' as const),
    ]);
    if (code === 'timeout') signalGroup(running.child, 'SIGKILL');
    const output = running.output();
    const problems = unmet(step.expect, output);
    if (code !== step.exit) problems.unshift(`exit ${code}, expected ${step.exit}`);
    if (problems.length > 0) {
      failures++;
      say(`FAIL line ${step.line}: ${problems.join('; ')}\n${output.slice(-4000)}`);
      const stack = background.at(-1);
      if (stack) say(`the stack's last lines:\n${stack.running.output().slice(-3000)}`);
      break;
    }
    say(`PASS line ${step.line} (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  if (background.length > 0 && failures === 0) {
    failures++;
    say(
      `FAIL: the page leaves a background block running (line ${background.at(-1)!.line}): no <!-- stop --> after it`,
    );
  }
  if (failures > 0) {
    say(`FAILED (${ran} block(s) run)`);
    process.exitCode = 1;
  } else {
    const seconds = Math.round((Date.now() - began) / 1000);
    say(`passed: ${ran} block(s) of docs/tutorial.md, every step as the page says, in ${seconds} s`);
  }
}

function quoteShell(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}, tearing down`);
    void cleanup.runAll().then(() => process.exit(130));
  });
}

main()
  .catch((error: unknown) => {
    say(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanup.runAll());
