// What a caller may hand a benchmark instead of it building its own (test/bench/smoke.test.ts hands the test run's):
//   JAO_BENCH_TEMPLATE_DATABASE   a migrated database to clone, instead of migrating an empty one
//   JAO_BENCH_TEMPORAL_ADDRESS    a running Temporal server, instead of starting a dev server
//   JAO_BENCH_TEMPORAL_NAMESPACE  and the namespace of the benchmark's own on it (registered, search attributes set)
import pg from 'pg';

/** `CREATE DATABASE <name>`, cloned from JAO_BENCH_TEMPLATE_DATABASE when given. */
export function createDatabaseSql(name: string): string {
  const template = process.env.JAO_BENCH_TEMPLATE_DATABASE;
  const from = template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : '';
  return `CREATE DATABASE ${pg.escapeIdentifier(name)}${from}`;
}

/** The Temporal server and namespace handed over, or null when the benchmark starts its own dev server. */
export function givenTemporal(): { address: string; namespace: string } | null {
  const address = process.env.JAO_BENCH_TEMPORAL_ADDRESS;
  const namespace = process.env.JAO_BENCH_TEMPORAL_NAMESPACE;
  if (!address && !namespace) return null;
  if (!address || !namespace) {
    throw new Error('JAO_BENCH_TEMPORAL_ADDRESS and JAO_BENCH_TEMPORAL_NAMESPACE go together');
  }
  return { address, namespace };
}
