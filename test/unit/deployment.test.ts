// docker-compose.yml cannot be run here (no Docker engine): check what can be checked statically.
import { readFileSync } from 'node:fs';
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
});
const composeSchema = z.object({ services: z.record(z.string(), serviceSchema) });
const compose = composeSchema.parse(parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')));
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
    for (const image of images) expect(image).toMatch(/^[a-z0-9./-]+:(?!latest$)[0-9][\w.-]*$/);
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
});
