// `node bin/run-ts.js scripts/temporal-cli.ts`: provisions the Temporal CLI (devstack/temporalCli.ts) and prints
// its path.
import { ensureTemporalCli } from '../devstack/temporalCli';

try {
  const cli = ensureTemporalCli(process.env, (line) => console.error(line));
  if (cli) console.log(cli.path);
  else
    console.error('no Temporal CLI and no Go toolchain: the SDK will download the dev server on first use');
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
