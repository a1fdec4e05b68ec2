import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MigrationStep, Requirement } from './migrationStep';
import { dayWriteIndex } from './migrationSteps/dayWriteIndex';
import { deliveryDayIndex } from './migrationSteps/deliveryDayIndex';
import { fillDeliveryDay } from './migrationSteps/fillDeliveryDay';

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/**
 * The migrations written in TypeScript (db/migrationSteps/), by name, in their place among the SQL files: data work
 * in batches and DDL that must run outside a transaction block.
 */
const MIGRATION_STEPS: Readonly<Record<string, MigrationStep>> = {
  '013_fill_delivery_day': fillDeliveryDay,
  '014_delivery_day_index': deliveryDayIndex,
  '028_day_write_day_index': dayWriteIndex,
};

export interface Migration {
  /** File name without `.sql`, e.g. `003_tables`; the order and the identity of the migration. */
  name: string;
  sql: string;
  checksum: string;
  /** `-- jao:no-transaction`: the statements run one by one outside a transaction block. */
  transactional: boolean;
  /** `-- jao:requires timescaledb` / `-- jao:requires no-timescaledb`: applied only in that case. */
  requires: Requirement;
  /**
   * A step written in TypeScript instead of SQL (MIGRATION_STEPS): data work in bounded batches, each its own
   * transaction, or DDL that must run outside a transaction block (an index built concurrently). It runs on the
   * migration's session, may be interrupted at any point, and resumes where it stopped when run again.
   */
  step?: MigrationStep;
}

/** A migration whose work is a TypeScript step; its checksum stands for the step's description. */
export function stepMigration(name: string, step: MigrationStep): Migration {
  return {
    name,
    sql: '',
    checksum: createHash('sha256').update(`step:${step.describe}`).digest('hex'),
    transactional: false,
    requires: step.requires,
    step,
  };
}

const NAME_PATTERN = /^(\d{3})_[a-z0-9_]+\.sql$/;

/** Parses one migration file's directives (comment lines `-- jao:…` before the first statement). */
export function parseMigration(fileName: string, sql: string): Migration {
  let transactional = true;
  let requires: Requirement = null;
  for (const line of sql.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('--')) break;
    const directive = /^--\s*jao:(\S+)(?:\s+(\S+))?/.exec(trimmed);
    if (!directive) continue;
    if (directive[1] === 'no-transaction') {
      transactional = false;
    } else if (
      directive[1] === 'requires' &&
      (directive[2] === 'timescaledb' || directive[2] === 'no-timescaledb')
    ) {
      requires = directive[2];
    } else {
      throw new Error(`migration ${fileName}: unknown directive "${trimmed}"`);
    }
  }
  return {
    name: fileName.replace(/\.sql$/, ''),
    sql,
    checksum: createHash('sha256').update(sql).digest('hex'),
    transactional,
    requires,
  };
}

/**
 * The migrations of db/migrations/, in order, with MIGRATION_STEPS: a step's name takes its place among the files'
 * names.
 */
export function loadMigrations(): Migration[] {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      if (!NAME_PATTERN.test(file)) throw new Error(`migration file name "${file}" is not NNN_name.sql`);
      return parseMigration(file, readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8'));
    });
  const stepped = Object.entries(MIGRATION_STEPS).map(([name, step]) => {
    if (!NAME_PATTERN.test(`${name}.sql`)) throw new Error(`migration step name "${name}" is not NNN_name`);
    return stepMigration(name, step);
  });
  return [...files, ...stepped].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The migration that builds the 1.0.0 schema; every later migration stacks on it. */
export const BASELINE_MIGRATION = '001_baseline';

/**
 * The 0.x migrations the baseline replaced (every file of 0.1.0, both variants of 006 included: the runner recorded
 * the one that did not apply as not_applicable). A database on which all of them are recorded holds the baseline's
 * schema by construction.
 */
export const LEGACY_MIGRATIONS: readonly string[] = [
  '001_timescaledb',
  '002_roles',
  '003_tables',
  '004_hypertables',
  '005_consumer_views',
  '006_daily_timescaledb',
  '006_daily_view',
  '007_privileges',
  '008_build_lineage',
  '009_timescaledb_reads',
  '010_day_quality',
  '011_faults',
  '012_raw_response_answer',
  '013_rejudge_legacy_complete_days',
  '014_api_keys',
  '015_day_events',
  '016_value_lineage',
  '017_catalog',
  '018_range_reads',
  '019_daily_aggregate_fresh',
  '020_day_quality_last_changed',
  '021_range_comments',
];
