// docker-compose.yml cannot be run here (no Docker engine): check what can be checked statically.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { CONFIG_VARIABLES } from '../../common/config';

const root = join(__dirname, '..', '..');
const serviceSchema = z.object({
  image: z.string().optional(),
  build: z.unknown().optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  ports: z.array(z.string()).optional(),
  command: z.array(z.string()).optional(),
  volumes: z.array(z.string()).optional(),
});
const composeSchema = z.object({ services: z.record(z.string(), serviceSchema) });
const compose = composeSchema.parse(parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')));
const projectServices = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

describe('docker-compose.yml', () => {
  it('passes the project image only variables the configuration schema knows', () => {
    expect(projectServices.map(([name]) => name).sort()).toEqual(['migrate', 'simulator', 'worker']);
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
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20\.\d+[\w.-]*$/m);
  });

  it('publishes every port on 127.0.0.1 only', () => {
    const ports = Object.values(compose.services).flatMap((service) => service.ports ?? []);
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
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
      expect(prometheus?.ports).toEqual(['127.0.0.1:9090:9090']);
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
