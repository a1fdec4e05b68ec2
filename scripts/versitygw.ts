// `node bin/run-ts.js scripts/versitygw.ts`: provisions versitygw, the S3 archive tests' server
// (devstack/versitygw.ts), and prints its path.
import { ensureVersitygw, versitygwMissingNote } from '../devstack/versitygw';

try {
  const path = ensureVersitygw(process.env, (line) => console.error(line));
  if (path) console.log(path);
  else {
    console.error(versitygwMissingNote());
    process.exitCode = 1;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
