// Whether the compose stack's database is the engine docker-compose.yml names: where the image is a local stand-in
// (Debian's PostgreSQL for timescale/timescaledb, deploy/compose-test/images/postgres), the scenarios prove the
// stack and not that engine, and the run says so (docs/deployment.md, "What the compose test proves").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { REPO_ROOT } from '../../common/buildInfo';
import { psql } from './database';
import type { ComposeStack } from './stack';

export interface NamedEngine {
  image: string;
  /** The TimescaleDB release of the tag (`2.31.0-pg16`), or null where the tag names none. */
  timescaledb: string | null;
  /** The PostgreSQL major of the tag. */
  postgresMajor: number | null;
}

export interface RunningEngine {
  /** `15.18` */
  postgres: string;
  /** The installed extension's version, or null. */
  timescaledb: string | null;
}

const composeFile = z.object({
  services: z.object({ timescaledb: z.object({ image: z.string() }) }),
});

/** The database image docker-compose.yml names, and the engine its tag promises. */
export function namedEngine(
  composeText = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'),
): NamedEngine {
  const image = composeFile.parse(parse(composeText)).services.timescaledb.image;
  const tag = /:(\d+\.\d+\.\d+)-pg(\d+)$/.exec(image);
  return { image, timescaledb: tag?.[1] ?? null, postgresMajor: tag ? Number(tag[2]) : null };
}

/** One line where the running engine is not the named one; null where it is. */
export function engineNote(named: NamedEngine, running: RunningEngine): string | null {
  const major = Number(running.postgres.split('.')[0]);
  if (running.timescaledb === named.timescaledb && major === named.postgresMajor) return null;
  const engine = `PostgreSQL ${running.postgres}${running.timescaledb ? ` with TimescaleDB ${running.timescaledb}` : ' without TimescaleDB'}`;
  const promised = `TimescaleDB ${named.timescaledb ?? '?'} on PostgreSQL ${named.postgresMajor ?? '?'}`;
  return `NOTE: docker-compose.yml names ${named.image} (${promised}); the database here is ${engine}, a stand-in: these scenarios prove the stack, not that engine (docs/deployment.md)`;
}

/** The engine of the stack's database, as it runs. */
export async function runningEngine(stack: ComposeStack): Promise<RunningEngine> {
  const [line] = await psql(
    stack,
    `SELECT current_setting('server_version') || '|' || coalesce((SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'), '')`,
  );
  const [postgres = '', timescaledb = ''] = (line ?? '').split('|');
  return { postgres: postgres.split(' ')[0] ?? postgres, timescaledb: timescaledb || null };
}
