// `npm run build [outDir] [--no-bundle]`: what the image runs (docs/deployment.md): the runtime code compiled to
// CommonJS, and the workflow bundle the deployed worker runs (WORKFLOW_BUNDLE_PATH) with its build info.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../common/buildInfo';
import { writePageBundle } from '../page/bundle';
import { BUNDLE_FILE, writeWorkflowBundle } from '../workers/workflowBundle';
import { compileRuntime } from './compileRuntime';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { 'no-bundle': { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const outDir = resolve(positionals[0] ?? join(REPO_ROOT, 'dist'));
  const files = await compileRuntime(outDir);
  console.log(`compiled ${files.length} files into ${outDir}`);
  // Beside the compiled api/ folder, where api/pageAssets.ts looks for it (BUILT_ASSETS_DIR).
  await writePageBundle(join(outDir, 'page-assets'));
  console.log(`status page ${join(outDir, 'page-assets')}`);
  if (values['no-bundle']) return;
  const info = await writeWorkflowBundle(outDir);
  console.log(`workflow bundle ${join(outDir, BUNDLE_FILE)}`);
  console.log(`build id ${info.buildId}`);
}

main().catch((error: unknown) => {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
