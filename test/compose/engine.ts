// The container engine of the compose test (`test/compose/run.ts`): podman with Docker Compose v2 on its Docker-compatible socket,
// provisioned by deploy/compose-test/provision.sh, and the stand-ins of the upstream images (standins.sh).
import { join } from 'node:path';
import { z } from 'zod';
import { runChecked } from './process';

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

export async function provisionEngine(): Promise<Engine> {
  const output = await runChecked('bash', [join(SCRIPTS, 'provision.sh')], { echo: false });
  const parsed = provisioned.safeParse(keyValues(output));
  if (!parsed.success) throw new Error(`provision.sh printed no engine settings: ${parsed.error.message}`);
  return parsed.data;
}

/** Builds (once) the stand-ins of the upstream images; returns their names. */
export async function buildStandins(): Promise<string[]> {
  const output = await runChecked('bash', [join(SCRIPTS, 'standins.sh')], { cwd: REPOSITORY });
  return output.split('\n').filter((line) => line.includes(':'));
}
