// Locates or builds the Temporal CLI that runs the dev server (tests, `npm start`, CI).
// Order: TEMPORAL_CLI_PATH, `temporal` on PATH, the pinned build in the cache, a fresh build with Go,
// and only where none of these is possible, null: callers then let the SDK download its own server.
import { ensureGoTool, type GoTool, type LocatedTool } from './toolCache';

const TEMPORAL_CLI: GoTool = {
  label: 'Temporal CLI',
  module: 'github.com/temporalio/cli/cmd/temporal',
  /** Newest CLI release whose go.mod has no `replace` directive, so `go install …@version` builds it. */
  version: 'v1.5.1',
  command: 'temporal',
  envVar: 'TEMPORAL_CLI_PATH',
  fromPath: true,
};

/** The CLI to run, building it when needed; null means "let the SDK download one". */
export function ensureTemporalCli(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => {},
): LocatedTool | null {
  return ensureGoTool(TEMPORAL_CLI, env, log);
}
