// docs/tutorial.md as `npm run test:tutorial` reads it (test/tutorial/steps.ts), checked without running it: every
// block parses, says what you will see (or why it is skipped), each background block is stopped, and every command,
// API path and simulator route it uses exists. `npm run test:tutorial` runs it for real.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localise, parseTutorial } from '../tutorial/steps';

const ROOT = join(__dirname, '..', '..');
const steps = parseTutorial(readFileSync(join(ROOT, 'docs', 'tutorial.md'), 'utf8'));
const blocks = steps.flatMap((step) => (step.kind === 'block' ? [step] : []));
const scripts = blocks.map((block) => block.script).join('\n');

describe('docs/tutorial.md', () => {
  it('has blocks, each with what you will see or why it is skipped', () => {
    expect(blocks.length).toBeGreaterThan(8);
    for (const block of blocks) {
      expect(block.skip !== undefined || block.expect.length > 0, `the block of line ${block.line}`).toBe(
        true,
      );
    }
  });

  it('names the terminal of every block: the stack runs in its own, every other command in yours', () => {
    expect(blocks.filter((block) => block.terminal === 'stack').map((block) => block.background)).toEqual([
      true,
      true,
    ]);
    expect(blocks.filter((block) => block.terminal === 'yours').every((block) => !block.background)).toBe(
      true,
    );
    // The stack's terminal sees none of your terminal's exports: a restart on another database names it.
    const restart = blocks.filter((block) => block.terminal === 'stack')[1]!;
    expect(restart.script).toMatch(/^DATABASE_URL=postgres:\/\/\S+\/jao_restored npm start -- --offline$/m);
  });

  it('refuses a block that does not say where it runs, and the stack anywhere but its terminal', () => {
    expect(() => parseTutorial('```sh\nnpx jao status\n```\n<!-- expect: /x/ -->\n')).toThrow(
      /docs\/tutorial.md:2: a block's first line names its terminal/,
    );
    expect(() =>
      parseTutorial('```sh\n# your terminal\nnpm start\n```\n<!-- background -->\n<!-- stop -->\n'),
    ).toThrow(/the stack's terminal runs the stack/);
    expect(() => parseTutorial("```sh\n# the stack's terminal\nnpx jao status\n```\n")).toThrow(
      /the stack's terminal runs the stack/,
    );
  });

  it('stops every background block it starts, in order', () => {
    let running = 0;
    for (const step of steps) {
      if (step.kind === 'stop') running--;
      else if (step.background) running++;
      expect(running).toBeGreaterThanOrEqual(0);
    }
    expect(running).toBe(0);
  });

  it('runs only jao commands the CLI has', () => {
    const main = readFileSync(join(ROOT, 'cli', 'main.ts'), 'utf8');
    const used = [...scripts.matchAll(/npx jao ([a-z-]+)/g)].map((match) => match[1]!);
    expect(used.length).toBeGreaterThan(5);
    for (const command of new Set(used)) {
      expect(main, `jao ${command}`).toMatch(new RegExp(`^\\s+'?${command}'?: `, 'm'));
    }
  });

  it('asks the API and the simulator only paths they serve', () => {
    const routes =
      readFileSync(join(ROOT, 'api', 'routes', 'values.ts'), 'utf8') +
      ['days.ts', 'runs.ts', 'constraints.ts']
        .map((file) => readFileSync(join(ROOT, 'api', 'routes', file), 'utf8'))
        .join('\n');
    for (const [, path] of scripts.matchAll(/127\.0\.0\.1:3000(\/v1\/[A-Za-z/]+)/g)) {
      const pattern = path!.replace(/\/datasets\/[A-Za-z]+\//, '/datasets/:dataset/');
      expect(routes, path).toContain(`'${pattern}'`);
    }
    const simulator = readFileSync(join(ROOT, 'simulator', 'app.ts'), 'utf8');
    for (const [, route] of scripts.matchAll(/127\.0\.0\.1:8090\/_simulator\/([a-z]+)/g)) {
      expect(simulator, route).toMatch(new RegExp(`'${route}'|\\/${route}\``));
    }
  });

  it('is run with the runner’s own ports, databases and data directory', () => {
    const stack = {
      apiPort: 1,
      uiPort: 2,
      temporalPort: 3,
      simulatorPort: 4,
      server: 'postgres://u@h:5',
      database: 'jao_t',
      dataDir: '/tmp/d',
    };
    const local = localise(scripts, stack);
    expect(local).not.toMatch(/127\.0\.0\.1:(3000|8233|8090)|\$PWD\/\.data|5432|jao_restored\b/);
    expect(local).toContain('npm start -- --temporal-port 3 --ui-port 2 --simulate --simulator-port 4');
  });
});
