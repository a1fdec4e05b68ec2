// What can be checked of docker-compose.yml and the Dockerfile without an engine; the compose test (`test/compose/run.ts`) runs them.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { CONFIG_VARIABLES } from '../../common/config';
import { version } from '../../package.json';

const root = join(__dirname, '..', '..');
const buildSchema = z.union([
  z.string(),
  z.object({
    context: z.string(),
    target: z.string().optional(),
    args: z.record(z.string(), z.string()).optional(),
    tags: z.array(z.string()).optional(),
  }),
]);
const serviceSchema = z.object({
  image: z.string().optional(),
  build: buildSchema.optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  ports: z.array(z.string()).optional(),
  command: z.array(z.string()).optional(),
  volumes: z.array(z.string()).optional(),
  restart: z.string().optional(),
  healthcheck: z
    .object({
      test: z.array(z.string()),
      start_period: z.string().optional(),
      interval: z.string(),
      timeout: z.string(),
      retries: z.number(),
    })
    .strict()
    .optional(),
  depends_on: z
    .union([z.array(z.string()), z.record(z.string(), z.object({ condition: z.string() }).strict())])
    .optional(),
});
const composeSchema = z.object({ services: z.record(z.string(), serviceSchema) });
const compose = composeSchema.parse(parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')));
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

interface Stage {
  name: string;
  from: string;
  /** The stage's instructions after FROM, comments dropped, continuation lines joined. */
  instructions: string[];
}

function parseStages(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from?.[1]) stages.push({ from: from[1], name: from[2] ?? '', instructions: [] });
    else stages.at(-1)?.instructions.push(line);
  }
  return stages;
}

const stages = parseStages(dockerfile);
const projectServices = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

describe('docker-compose.yml', () => {
  it('passes the project image only variables the configuration schema knows', () => {
    expect(projectServices.map(([name]) => name).sort()).toEqual(['api', 'migrate', 'simulator', 'worker']);
    for (const [name, service] of projectServices) {
      const unknown = Object.keys(service.environment ?? {}).filter(
        (variable) => !(CONFIG_VARIABLES as string[]).includes(variable),
      );
      expect(unknown, `service ${name}`).toEqual([]);
    }
  });

  it('pins every image to an explicit version', () => {
    const images = Object.values(compose.services).flatMap((service) =>
      service.image ? [service.image] : [],
    );
    expect(images.length).toBeGreaterThanOrEqual(3);
    for (const image of images) expect(image).toMatch(/^[a-z0-9./-]+:(?!latest$)v?[0-9][\w.-]*$/);
    const bases = stages.map((stage) => stage.from).filter((from) => !stages.some((s) => s.name === from));
    expect(bases.length).toBeGreaterThan(0);
    // the base image is a build argument (a local stand-in can replace it) whose default is pinned
    for (const base of bases) expect(base).toBe(`\${NODE_IMAGE}`);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24\.\d+[\w.-]*$/m);
  });

  it("tags the pipeline's images with the release they are (package.json's version)", () => {
    const tagged = Object.entries(compose.services)
      .filter(([, service]) => typeof service.build === 'object' && service.build.target === 'runtime')
      .map(([name, service]) => [name, typeof service.build === 'object' ? service.build.tags : undefined]);
    expect(tagged.map(([name]) => name)).toEqual(['migrate', 'worker', 'api']);
    for (const [, tags] of tagged) expect(tags).toEqual([`jao-scraper:${version}`]);
  });

  it('publishes every port on 127.0.0.1 only', () => {
    const ports = Object.values(compose.services).flatMap((service) => service.ports ?? []);
    expect(ports.length).toBeGreaterThan(0);
    // the host port is HOST_PORT_<SERVICE>, defaulting to the container's
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:\$\{HOST_PORT_\w+:-(\d+)\}:\1$/);
  });

  it('takes every credential from the env file', () => {
    const secrets = Object.values(compose.services).flatMap((service) =>
      Object.entries(service.environment ?? {}).filter(([name]) => /PASSWORD|PWD|API_KEY/.test(name)),
    );
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const [name, value] of secrets) expect(`${name}=${value}`).toMatch(/^\w+=\$\{\w+/);
    const urls = Object.values(compose.services).flatMap((service) =>
      Object.values(service.environment ?? {}).filter((value) => String(value).startsWith('postgres://')),
    );
    for (const url of urls) expect(String(url)).toMatch(/^postgres:\/\/[^:]+:\$\{\w+\}@/);
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    for (const variable of ['POSTGRES_PASSWORD', 'JAO_WRITER_PASSWORD', 'JAO_READER_PASSWORD']) {
      expect(example).toContain(`${variable}=`);
    }
  });

  describe('health checks and start-up order', () => {
    const services = Object.entries(compose.services);
    const longRunning = services.filter(([, service]) => service.restart === 'unless-stopped');
    const oneShot = services.filter(([, service]) => service.restart === 'no');

    it('has a health check for every long-running service, and none for the one-shot jobs', () => {
      expect(longRunning.map(([name]) => name).sort()).toEqual([
        'api',
        'prometheus',
        'simulator',
        'temporal',
        'temporal-ui',
        'timescaledb',
        'worker',
      ]);
      expect(oneShot.map(([name]) => name).sort()).toEqual([
        'migrate',
        'temporal-namespace',
        'temporal-schema',
      ]);
      expect(longRunning.length + oneShot.length).toBe(services.length);
      for (const [name, service] of longRunning) {
        expect(service.healthcheck?.test[0], `service ${name}`).toMatch(/^CMD(-SHELL)?$/);
      }
      for (const [name, service] of oneShot) expect(service.healthcheck, `service ${name}`).toBeUndefined();
    });

    it("keeps every health check's arguments free of whitespace: podman 4.3's Docker API splits them on it", () => {
      for (const [name, service] of longRunning) {
        const [form, ...args] = service.healthcheck?.test ?? [];
        if (form === 'CMD') for (const arg of args) expect(arg, `service ${name}`).not.toMatch(/\s/);
      }
    });

    it('checks with what each image has: node in the project image, wget in the Temporal and Prometheus images', () => {
      const tool = (name: string) => compose.services[name]?.healthcheck?.test[1];
      for (const name of ['worker', 'api', 'simulator']) expect(tool(name), name).toBe('node');
      for (const name of ['temporal', 'temporal-ui', 'prometheus']) expect(tool(name), name).toBe('wget');
      const metricsPort = compose.services.worker?.environment?.METRICS_PORT;
      expect(metricsPort).toBe('9464');
      // the worker's reads its port from its environment, the others name their container's port
      expect(compose.services.worker?.healthcheck?.test.join(' ')).toContain('process.env.METRICS_PORT');
      expect(compose.services.temporal?.healthcheck?.test.at(-1)).toMatch(/^http:\/\/127\.0\.0\.1:7243\//);
      expect(compose.services.prometheus?.healthcheck?.test.at(-1)).toBe('http://127.0.0.1:9090/-/healthy');
    });

    it('starts a service once what it needs is healthy, or, for a one-shot job, completed', () => {
      const edges = services.flatMap(([name, service]) => {
        expect(Array.isArray(service.depends_on), `service ${name}: depends_on without a condition`).toBe(
          false,
        );
        return Object.entries(service.depends_on ?? {}).map(([target, { condition }]) => ({
          name,
          target,
          condition,
        }));
      });
      expect(edges.length).toBeGreaterThanOrEqual(10);
      for (const { name, target, condition } of edges) {
        const needed = compose.services[target];
        expect(needed, `${name} depends on ${target}`).toBeDefined();
        const expected = needed?.restart === 'no' ? 'service_completed_successfully' : 'service_healthy';
        expect(condition, `${name} depends on ${target}`).toBe(expected);
      }
      const needs = (name: string) => edges.filter((edge) => edge.name === name).map((edge) => edge.target);
      expect(needs('temporal-namespace')).toEqual(['temporal']);
      expect(needs('temporal-ui')).toEqual(['temporal']);
      for (const name of ['worker', 'api']) {
        expect(needs(name).sort(), name).toEqual(['migrate', 'temporal', 'temporal-namespace']);
      }
    });
  });

  describe('Prometheus', () => {
    const prometheus = compose.services.prometheus;
    const configSchema = z.object({
      rule_files: z.array(z.string()),
      scrape_configs: z.array(
        z.object({
          job_name: z.string(),
          metrics_path: z.string().optional(),
          static_configs: z.array(z.object({ targets: z.array(z.string()) })),
        }),
      ),
    });
    const mounts = (prometheus?.volumes ?? []).map((volume) => {
      const [source, target, mode] = volume.split(':');
      return { source: source!, target: target!, mode };
    });

    it('runs a pinned image, published on 127.0.0.1 only', () => {
      expect(prometheus?.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
      expect(prometheus?.ports).toEqual([`127.0.0.1:\${HOST_PORT_PROMETHEUS:-9090}:9090`]);
    });

    it('mounts its configuration and the rules read-only, where the configuration looks for them', () => {
      const config = mounts.find((mount) => mount.target === '/etc/prometheus/prometheus.yml');
      expect(config).toEqual({
        source: './deploy/prometheus/prometheus.yml',
        target: '/etc/prometheus/prometheus.yml',
        mode: 'ro',
      });
      expect(prometheus?.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
      const parsed = configSchema.parse(parse(readFileSync(join(root, config!.source), 'utf8')));
      const rules = mounts.filter((mount) => mount.source.endsWith('.rules.yml'));
      expect(rules.map((mount) => mount.source)).toEqual(['./deploy/prometheus/jao.rules.yml']);
      for (const mount of rules) {
        expect(existsSync(join(root, mount.source))).toBe(true);
        expect(mount.mode).toBe('ro');
        const globs = parsed.rule_files.map(
          (glob) => new RegExp(`^${glob.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`),
        );
        expect(globs.some((glob) => glob.test(mount.target))).toBe(true);
      }
    });

    it("scrapes the Temporal server's own metrics on its PROMETHEUS_ENDPOINT, which is not published", () => {
      const config = configSchema.parse(
        parse(readFileSync(join(root, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8')),
      );
      const temporal = compose.services.temporal;
      const endpoint = String(temporal?.environment?.PROMETHEUS_ENDPOINT);
      expect(endpoint).toMatch(/^0\.0\.0\.0:\d+$/);
      const port = endpoint.split(':')[1];
      expect(
        config.scrape_configs
          .find((scrape) => scrape.job_name === 'temporal')
          ?.static_configs.flatMap((c) => c.targets),
      ).toEqual([`temporal:${port}`]);
      expect(temporal?.ports?.some((published) => published.endsWith(`:${port}`))).toBe(false);
    });

    it('scrapes the worker on its METRICS_PORT and the API on api:3000', () => {
      const config = configSchema.parse(
        parse(readFileSync(join(root, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8')),
      );
      const targets = (job: string) =>
        config.scrape_configs
          .find((scrape) => scrape.job_name === job)
          ?.static_configs.flatMap((c) => c.targets);
      const metricsPort = compose.services.worker?.environment?.METRICS_PORT;
      expect(targets('jao-worker')).toEqual([`worker:${metricsPort}`]);
      expect(targets('jao-api')).toEqual(['api:3000']);
      expect(config.scrape_configs.find((scrape) => scrape.job_name === 'jao-api')?.metrics_path).toBe(
        '/metrics',
      );
    });
  });
});

describe('Dockerfile', () => {
  const stage = (name: string) => stages.find((candidate) => candidate.name === name)?.instructions ?? [];

  it('builds in a stage of its own and runs from the last stage, the runtime one', () => {
    expect(stages.map(({ name }) => name)).toEqual(['build', 'simulator', 'runtime']);
    expect(stage('build')).toContain('RUN npm ci --no-audit --no-fund');
    expect(stage('build')).toContain('RUN npm run build');
    expect(stages.find(({ name }) => name === 'simulator')?.from).toBe('build');
  });

  it('copies only the compiled tree, bin/jao.js with its Node.js check and the package files into the runtime stage', () => {
    const runtime = stage('runtime');
    expect(runtime.filter((line) => /^(COPY|ADD)\b/i.test(line))).toEqual([
      'COPY package.json package-lock.json ./',
      'COPY bin/jao.js bin/check-node.js ./bin/',
      'COPY --from=build /app/dist ./dist',
    ]);
    expect(runtime).toContain('RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force');
    for (const line of runtime)
      expect(line).not.toMatch(/tsx|run-ts|\.ts\b|tsconfig|simulator|scripts|devstack/);
    expect(runtime).toContain('ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflows.js');
    expect(runtime).toContain('ENTRYPOINT ["node", "bin/jao.js"]');
    expect(runtime).toContain('USER node');
  });

  it('keeps the host dependencies, builds and secrets out of the build context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', '.env', '.git']) expect(ignored).toContain(entry);
  });

  it('needs no tsx at run time: it is a development dependency', () => {
    const packageJson = z
      .object({
        dependencies: z.record(z.string(), z.string()),
        devDependencies: z.record(z.string(), z.string()),
      })
      .parse(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')));
    expect(Object.keys(packageJson.dependencies)).not.toContain('tsx');
    expect(Object.keys(packageJson.devDependencies)).toContain('tsx');
  });

  it('is what compose builds: the runtime stage for the pipeline, the simulator stage for the simulator', () => {
    const targets = Object.fromEntries(
      projectServices.map(([name, service]) => [
        name,
        typeof service.build === 'object' ? service.build.target : undefined,
      ]),
    );
    expect(targets).toEqual({
      migrate: 'runtime',
      worker: 'runtime',
      api: 'runtime',
      simulator: 'simulator',
    });
  });
});

describe('the compose test in CI', () => {
  /**
   * Runs a copy of .ci/run with node, npm and the scripts it calls replaced by stubs that record their command
   * line (and fail the one named `failing`): what CI runs, in order.
   */
  function ciCommands(failing?: string): { code: number | null; commands: string[] } {
    const dir = mkdtempSync(join(tmpdir(), 'jao-ci-run-'));
    try {
      const log = join(dir, 'commands.log');
      const stub = (path: string, name: string) => {
        writeFileSync(
          path,
          `#!/bin/sh\necho "${name} $*" >> "$CI_LOG"\n[ "${name} $*" = "$CI_FAIL" ] && exit 1\nexit 0\n`,
        );
        chmodSync(path, 0o755);
      };
      for (const folder of ['.ci', 'bin', 'scripts']) mkdirSync(join(dir, folder));
      copyFileSync(join(root, '.ci', 'run'), join(dir, '.ci', 'run'));
      for (const tool of ['node', 'npm']) stub(join(dir, 'bin', tool), tool);
      for (const script of readdirSync(join(root, 'scripts')))
        stub(join(dir, 'scripts', script), `scripts/${script}`);
      const run = spawnSync('bash', [join(dir, '.ci', 'run')], {
        encoding: 'utf8',
        env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, CI_LOG: log, CI_FAIL: failing ?? '' },
      });
      const commands = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
      return { code: run.status, commands };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('is `npm run test:compose`, which .ci/run runs after npm test', () => {
    const packageJson = z
      .object({ scripts: z.record(z.string(), z.string()) })
      .parse(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')));
    expect(packageJson.scripts['test:compose']).toBe('node bin/run-ts.js test/compose/run.ts');
    const passing = ciCommands();
    expect(passing.code).toBe(0);
    const npmTest = passing.commands.indexOf('npm test');
    const compose = passing.commands.indexOf('npm run test:compose');
    expect(npmTest, passing.commands.join('\n')).toBeGreaterThanOrEqual(0);
    expect(compose, passing.commands.join('\n')).toBeGreaterThan(npmTest);
    // After, not beside: a failing npm test ends the run before the compose test.
    const failing = ciCommands('npm test');
    expect(failing.code).not.toBe(0);
    expect(failing.commands.at(-1)).toBe('npm test');
    expect(failing.commands).not.toContain('npm run test:compose');
  });

  it('runs every tier: npm test, test:e2e, then the upgrade, Temporal, cluster, tutorial and compose tests', () => {
    const tiers = [
      'npm test',
      'npm run test:e2e',
      'npm run test:upgrade',
      'npm run test:temporal-auth',
      'npm run test:cluster',
      'npm run test:tutorial',
      'npm run test:compose',
    ];
    const { code, commands } = ciCommands();
    expect(code).toBe(0);
    expect(commands.filter((command) => tiers.includes(command))).toEqual(tiers);
  });
});
