// `npm run build`: the workflow bundle the deployed worker runs (WORKFLOW_BUNDLE_PATH), with its build info.
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../common/buildInfo';
import { BUNDLE_FILE, writeWorkflowBundle } from '../workers/workflowBundle';

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? join(REPO_ROOT, 'dist'));
  const info = await writeWorkflowBundle(outDir);
  console.log(`workflow bundle ${join(outDir, BUNDLE_FILE)}`);
  console.log(`build id ${info.buildId}`);
}

main().catch((error: unknown) => {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
