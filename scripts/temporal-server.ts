// `node bin/run-ts.js scripts/temporal-server.ts`: provisions the Temporal server and temporal-sql-tool of
// `jao cluster` (devstack/temporalServer.ts) and prints both paths.
import { ensureTemporalServer } from '../devstack/temporalServer';

ensureTemporalServer(process.env, (line) => console.error(line)).then(
  (binaries) => {
    console.log(binaries.server.path);
    console.log(binaries.sqlTool.path);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
