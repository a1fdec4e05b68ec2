// The Node.js check of `jao` and `npm test` (bin/check-node.js): an older Node.js gets one line naming the version to
// install, and the minimum is package.json's engines.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { recordSpawn } from '../helpers/spawnLog.mts';

const ROOT = join(__dirname, '..', '..');
const checkNode = createRequire(import.meta.url)(join(ROOT, 'bin', 'check-node.js')) as {
  MINIMUM_NODE: string;
  nodeVersionProblem: (version: string) => string | null;
};
const TOO_OLD =
  'jao: Node.js 20.19.0 is too old; install Node.js 24 LTS (jao-scraper needs 22.12 or later): ' +
  'scripts/ensure-node.sh installs it from the npm registry, then export PATH="$(scripts/ensure-node.sh):$PATH"';

describe('the Node.js check', () => {
  it("is package.json's engines", () => {
    const packageJson = z
      .object({ engines: z.object({ node: z.string() }), scripts: z.record(z.string(), z.string()) })
      .parse(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')));
    expect(packageJson.engines.node).toBe(`>=${checkNode.MINIMUM_NODE}`);
    expect(packageJson.scripts.test).toMatch(/^node bin\/check-node\.js && vitest run$/);
  });

  it('names the version to install on a Node.js older than 22.12, and passes the rest', () => {
    expect(checkNode.nodeVersionProblem('20.19.0')).toBe(TOO_OLD);
    expect(checkNode.nodeVersionProblem('18.20.8')).toMatch(
      /^jao: Node\.js 18\.20\.8 is too old; install Node\.js 24 LTS/,
    );
    expect(checkNode.nodeVersionProblem('22.11.0')).not.toBeNull();
    for (const version of ['22.12.0', '22.22.1', '23.0.0', '24.0.0', '24.21.0', '26.1.0'])
      expect(checkNode.nodeVersionProblem(version), version).toBeNull();
  });

  it('is the first thing `jao` does: one line and exit 1, before tsx or the CLI load', () => {
    const fakeNode20 = `data:text/javascript,Object.defineProperty(process.versions, 'node', { value: '20.19.0' })`;
    recordSpawn(['start']);
    const run = spawnSync(process.execPath, ['--import', fakeNode20, 'bin/jao.js', 'start'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 1,
      stdout: '',
      stderr: `${TOO_OLD}\n`,
    });
  });
});
