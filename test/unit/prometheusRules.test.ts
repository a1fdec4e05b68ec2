// The alerting and recording rules of deploy/prometheus/ through promtool: syntax (`promtool check rules`) and the
// unit tests beside them (`promtool test rules`), plus: every pipeline metric the rules name is one the code exports.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JAO_RESPONSES_METRIC } from '../../activities/metrics';
import { HEALTH_GAUGES, HEALTH_REFRESHED_GAUGE } from '../../domain/healthMetrics';

const directory = join(__dirname, '..', '..', 'deploy', 'prometheus');
const ruleFiles = readdirSync(directory).filter((name) => /\.rules\.yml$/.test(name));
const testFiles = readdirSync(directory).filter((name) => /\.test\.yml$/.test(name));

function promtool(args: string[]): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { cwd: directory, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}${run.error ? String(run.error) : ''}` };
}

describe('Prometheus rules (deploy/prometheus)', () => {
  it('has rule files and unit tests for them', () => {
    expect(ruleFiles).toEqual(['jao.rules.yml']);
    expect(testFiles.length).toBeGreaterThan(0);
  });

  it('names only pipeline metrics the worker exports', () => {
    const exported = new Set<string>([
      ...Object.keys(HEALTH_GAUGES),
      HEALTH_REFRESHED_GAUGE,
      JAO_RESPONSES_METRIC,
    ]);
    for (const file of ruleFiles) {
      const text = readFileSync(join(directory, file), 'utf8');
      const named = new Set(text.match(/\bjao_[a-z0-9_]+/g) ?? []);
      expect(named.size).toBeGreaterThan(5);
      expect([...named].filter((name) => !exported.has(name))).toEqual([]);
    }
  });

  // promtool is provisioned by the test set-up (test/helpers/globalSetup.ts).
  it('passes promtool check rules and promtool test rules', () => {
    const check = promtool(['check', 'rules', ...ruleFiles]);
    expect(check.status, check.output).toBe(0);
    const test = promtool(['test', 'rules', ...testFiles]);
    expect(test.status, test.output).toBe(0);
  });
});
