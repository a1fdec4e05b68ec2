// The status page's browser code bundled with esbuild (a development dependency): one script and one stylesheet,
// uPlot and its CSS included, nothing fetched from elsewhere. `npm run build` writes them beside the compiled API
// (dist/page-assets/); in a checkout the API bundles them from source on first request (api/pageAssets.ts).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface PageBundle {
  js: string;
  css: string;
}

export const PAGE_ASSET_FILES = { js: 'app.js', css: 'app.css' } as const;

export async function bundlePage(): Promise<PageBundle> {
  const result = await build({
    absWorkingDir: join(__dirname, '..'),
    entryPoints: [join(__dirname, 'client', 'main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    minify: true,
    legalComments: 'none',
    write: false,
    outdir: 'out',
    logLevel: 'warning',
  });
  const text = (extension: string) => {
    const file = result.outputFiles.find((output) => output.path.endsWith(extension));
    if (!file) throw new Error(`the page bundle has no ${extension} output`);
    return file.text;
  };
  return { js: text('.js'), css: text('.css') };
}

/** Writes the bundle into `dir` (replacing it). */
export async function writePageBundle(dir: string): Promise<void> {
  const bundle = await bundlePage();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, PAGE_ASSET_FILES.js), bundle.js);
  writeFileSync(join(dir, PAGE_ASSET_FILES.css), bundle.css);
}
