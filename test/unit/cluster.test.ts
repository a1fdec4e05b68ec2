// The native cluster (`jao cluster`) and docker-compose.yml run the same Temporal settings; ports and databases
// derive as documented; the fault test's rate window counts right.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  allPorts,
  clusterPorts,
  DEFAULT_FRONTEND_PORT,
  NAMESPACE_RETENTION_DAYS,
  NUM_HISTORY_SHARDS,
  serverEnvironment,
  temporalDatabases,
} from '../../devstack/cluster/settings';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../../devstack/devServer';
import { TEMPORAL_SERVER_VERSION } from '../../devstack/temporalServer';
import { maxInWindow } from '../cluster/checks';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const temporalService = z.object({
  image: z.string(),
  environment: z.record(z.string(), z.string()),
  volumes: z.array(z.string()),
});
const oneShot = z.object({ image: z.string(), environment: z.record(z.string(), z.string()) });
const compose = z
  .object({
    services: z.object({
      temporal: temporalService,
      'temporal-schema': oneShot,
      'temporal-namespace': oneShot,
    }),
  })
  .parse(parse(read('docker-compose.yml')));
const temporal = compose.services.temporal;

describe('Temporal server settings', () => {
  const template = read('deploy/temporal/config/cluster.yaml');

  it('runs the same server version natively and in docker compose', () => {
    const version = TEMPORAL_SERVER_VERSION.replace(/^v/, '');
    expect(temporal.image).toBe(`temporalio/server:${version}`);
    expect(compose.services['temporal-schema'].image).toBe(`temporalio/admin-tools:${version}`);
    expect(compose.services['temporal-namespace'].image).toBe(`temporalio/admin-tools:${version}`);
  });

  it('has one number of history shards everywhere', () => {
    expect(template).toMatch(new RegExp(`^\\s+numHistoryShards: ${NUM_HISTORY_SHARDS}$`, 'm'));
    expect(temporal.environment.NUM_HISTORY_SHARDS).toBe(String(NUM_HISTORY_SHARDS));
  });

  it('mounts the dynamic config the native cluster reads into the container', () => {
    const path = temporal.environment.DYNAMIC_CONFIG_FILE_PATH;
    expect(temporal.volumes).toContain(`./deploy/temporal/dynamicconfig.yaml:${path}:ro`);
    expect(parse(read('deploy/temporal/dynamicconfig.yaml'))).toBeTypeOf('object');
  });

  it('gives the dev server the same matching settings as the cluster and compose', () => {
    const settings = z
      .record(z.string(), z.array(z.object({ value: z.unknown() })))
      .parse(parse(read('deploy/temporal/dynamicconfig.yaml')));
    for (const [key, value] of Object.entries(DEV_SERVER_DYNAMIC_CONFIG)) {
      expect(settings[key]?.[0]?.value, key).toEqual(value);
    }
  });

  it('names the databases and the retention alike', () => {
    const native = temporalDatabases({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' });
    for (const service of [temporal, compose.services['temporal-schema']]) {
      expect(service.environment.DBNAME).toBe(native.main);
      expect(service.environment.VISIBILITY_DBNAME).toBe(native.visibility);
    }
    const namespace = compose.services['temporal-namespace'].environment;
    expect(namespace.DEFAULT_NAMESPACE_RETENTION).toBe(`${NAMESPACE_RETENTION_DAYS * 24}h`);
  });

  it('reads in its template every variable `jao cluster` sets, and no other', () => {
    const ports = clusterPorts(DEFAULT_FRONTEND_PORT);
    const databases = temporalDatabases({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' });
    const set = Object.keys(serverEnvironment(databases, ports, 'warn')).sort();
    const read = [...template.matchAll(/env "(\w+)"/g)].map((match) => match[1]);
    const optional = ['PROMETHEUS_ENDPOINT', 'PUBLIC_FRONTEND_ADDRESS', 'SQL_MAX_CONNS', 'SQL_VIS_MAX_CONNS'];
    expect([...new Set(read)].filter((name) => !optional.includes(name!)).sort()).toEqual(set);
  });
});

describe('cluster ports', () => {
  it('lay the services out around the frontend port, all distinct, away from the dev server', () => {
    const ports = clusterPorts(7333);
    expect(ports.services.frontend).toEqual({ grpc: 7333, membership: 7433 });
    expect(ports.services.history).toEqual({ grpc: 7334, membership: 7434 });
    expect(ports.services.matching).toEqual({ grpc: 7335, membership: 7435 });
    expect(ports.services.worker).toEqual({ grpc: 7339, membership: 7439 });
    expect(ports.frontendHttp).toBe(7343);
    const numbers = allPorts(ports).map((entry) => entry.port);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers).not.toContain(7233);
    expect(numbers).not.toContain(8233);
  });
});

describe('cluster databases', () => {
  it('default to the server of DATABASE_URL, databases temporal and temporal_visibility', () => {
    expect(temporalDatabases({ DATABASE_URL: 'postgres://jao:s%40cret@db.internal:6543/jao' })).toEqual({
      host: 'db.internal',
      port: 6543,
      user: 'jao',
      password: 's@cret',
      main: 'temporal',
      visibility: 'temporal_visibility',
    });
  });

  it('follow TEMPORAL_DATABASE_URL, its database naming both', () => {
    const databases = temporalDatabases({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      TEMPORAL_DATABASE_URL: 'postgres://temporal@10.0.0.5/tprod',
    });
    expect(databases).toMatchObject({ host: '10.0.0.5', port: 5432, user: 'temporal', main: 'tprod' });
    expect(databases.visibility).toBe('tprod_visibility');
  });
});

describe('maxInWindow', () => {
  it('counts the busiest window that starts at a request', () => {
    expect(maxInWindow([], 60_000)).toBe(0);
    expect(maxInWindow([0, 59_999, 60_000, 60_001], 60_000)).toBe(3);
    expect(maxInWindow([5, 1, 3, 2, 4], 3)).toBe(3);
  });
});
