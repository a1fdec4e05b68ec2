// The project's docker-compose.yml run through Docker Compose under a project name of its own, with an env file
// of test secrets and free host ports, so it never meets a stack or a service of the machine.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectContainers, removeContainer } from './containers';
import type { Engine } from './engine';
import { REPOSITORY } from './engine';
import { type Completed, runCommand } from './process';

export const SECRETS = {
  POSTGRES_USER: 'jao_admin',
  POSTGRES_PASSWORD: 'compose-test-admin',
  JAO_WRITER_PASSWORD: 'compose-test-writer',
  JAO_READER_PASSWORD: 'compose-test-reader',
} as const;

export const PORT_VARIABLES = [
  'HOST_PORT_POSTGRES',
  'HOST_PORT_TEMPORAL',
  'HOST_PORT_TEMPORAL_UI',
  'HOST_PORT_METRICS',
  'HOST_PORT_PROMETHEUS',
  'HOST_PORT_API',
  'HOST_PORT_SIMULATOR',
] as const;
export type PortVariable = (typeof PORT_VARIABLES)[number];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class ComposeStack {
  private readonly dir = mkdtempSync(join(tmpdir(), 'jao-compose-'));
  private envFiles = 0;

  private constructor(
    readonly engine: Engine,
    readonly project: string,
    readonly ports: Record<PortVariable, number>,
    private readonly settings: Record<string, string>,
  ) {}

  /** The settings of this stack, for another stack of the same test (its own project, ports and volumes). */
  settingsForAnotherStack(): Record<string, string> {
    return { ...this.settings };
  }

  static async create(
    engine: Engine,
    project: string,
    settings: Record<string, string>,
  ): Promise<ComposeStack> {
    const ports = {} as Record<PortVariable, number>;
    for (const name of PORT_VARIABLES) ports[name] = await freePort();
    return new ComposeStack(engine, project, ports, settings);
  }

  /** Writes an env file: the secrets, the ports and the settings, with `changes`, minus `omit`. */
  private envFile(omit: string[], changes: Record<string, string>): string {
    const values: Record<string, string | number> = {
      ...SECRETS,
      ...this.ports,
      ...this.settings,
      ...changes,
    };
    const lines = Object.entries(values)
      .filter(([name]) => !omit.includes(name))
      .map(([name, value]) => `${name}=${value}`);
    this.envFiles += 1;
    const path = join(this.dir, `env-${this.envFiles}`);
    writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
    return path;
  }

  /** Runs `docker compose` on the project; `settings` change (`omit` leaves out) variables of the env file. */
  /** A compose file laid over docker-compose.yml by every later call (scenario 6: the previous release's images). */
  override: string | null = null;

  compose(
    args: string[],
    options: { omit?: string[]; settings?: Record<string, string>; echo?: boolean } = {},
  ): Promise<Completed> {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DOCKER_HOST: this.engine.DOCKER_HOST,
      // no buildx here: the engine's own build API (podman's), as `docker compose` falls back to
      DOCKER_BUILDKIT: '0',
      COMPOSE_PROFILES: 'simulator',
    };
    // One build at a time: podman 4.3 loses a name when builds of the same image tag it at once (docs/deployment.md).
    const builds = args[0] === 'build' || args.includes('--build') ? ['--parallel', '1'] : [];
    const base = ['--project-name', this.project, '--project-directory', REPOSITORY, ...builds];
    const file = ['--file', join(REPOSITORY, 'docker-compose.yml')];
    if (this.override !== null) file.push('--file', this.override);
    const envFile = ['--env-file', this.envFile(options.omit ?? [], options.settings ?? {})];
    return runCommand(this.engine.COMPOSE_BIN, [...base, ...file, ...envFile, ...args], {
      env,
      cwd: REPOSITORY,
      echo: options.echo,
    });
  }

  async composeChecked(
    args: string[],
    options: { settings?: Record<string, string>; echo?: boolean } = {},
  ): Promise<string> {
    const result = await this.compose(args, options);
    if (result.code !== 0) {
      const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20).join('\n');
      throw new Error(`docker compose ${args.join(' ')} exited ${result.code}:\n${tail}`);
    }
    return result.stdout;
  }

  /** Writes `text` as a file of the stack's own (removed with it); returns its path. */
  writeFile(name: string, text: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, text);
    return path;
  }

  url(port: PortVariable, path: string): string {
    return `http://127.0.0.1:${this.ports[port]}${path}`;
  }

  /**
   * Removes the containers (one-off ones of `compose run` too), networks and volumes of this project, and the env
   * files; nothing of any other project. Fails naming what is left.
   */
  async remove(): Promise<void> {
    for (const id of await projectContainers(this.engine, this.project))
      await removeContainer(this.engine, id, 10);
    const down = await this.compose(['down', '--volumes', '--remove-orphans', '--timeout', '10']);
    rmSync(this.dir, { recursive: true, force: true });
    if (down.code !== 0) throw new Error(`docker compose down exited ${down.code}:\n${down.stderr.trim()}`);
    const left = await projectContainers(this.engine, this.project);
    if (left.length > 0) throw new Error(`containers of ${this.project} left: ${left.join(', ')}`);
  }
}
