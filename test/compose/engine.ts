// The container engine of the compose test (`test/compose/run.ts`): podman with Docker Compose v2 on its Docker-compatible socket,
// provisioned by deploy/compose-test/provision.sh, and the stand-ins of the upstream images (standins.sh).
import { join } from 'node:path';
import { z } from 'zod';
import { runCommand } from './process';

export const REPOSITORY = join(__dirname, '..', '..');
const SCRIPTS = join(REPOSITORY, 'deploy', 'compose-test');

const provisioned = z.object({
  DOCKER_HOST: z.string().startsWith('unix://'),
  COMPOSE_BIN: z.string().min(1),
  DEBIAN_IMAGE: z.string().min(1),
});
export type Engine = z.infer<typeof provisioned>;

function keyValues(output: string): Record<string, string> {
  const pairs = output
    .split('\n')
    .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1]!, match[2]!] as const);
  return Object.fromEntries(pairs);
}

/**
 * Runs one of the provisioning scripts: its progress lines (`provision:`, `standins:`, `go-build:`, each step with
 * its time) go to `log`; a failure is an error naming the script and the end of its output.
 */
async function runScript(script: string, log: (line: string) => void): Promise<string> {
  const result = await runCommand('bash', [join(SCRIPTS, script)], { cwd: REPOSITORY });
  for (const line of result.stderr.split('\n')) {
    if (/^(provision|standins|go-build): /.test(line)) log(line);
  }
  if (result.code !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`deploy/compose-test/${script} exited ${result.code}:\n${tail}`);
  }
  return result.stdout;
}

export async function provisionEngine(log: (line: string) => void): Promise<Engine> {
  const output = await runScript('provision.sh', log);
  const parsed = provisioned.safeParse(keyValues(output));
  if (!parsed.success) throw new Error(`provision.sh printed no engine settings: ${parsed.error.message}`);
  return parsed.data;
}

/** Builds (once) the stand-ins of the upstream images; returns their names. */
export async function buildStandins(log: (line: string) => void): Promise<string[]> {
  const output = await runScript('standins.sh', log);
  return output.split('\n').filter((line) => line.includes(':'));
}
