// The status page's script and stylesheet: built ones beside the compiled API (dist/page-assets/, written by
// `npm run build`), or in a checkout bundled from page/client/ on first request (page/bundle.ts needs esbuild,
// a development dependency the image leaves out).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PageAsset {
  body: string;
  etag: string;
}

export interface PageAssets {
  js: PageAsset;
  css: PageAsset;
}

type BundleModule = typeof import('../page/bundle');

const asset = (body: string): PageAsset => ({
  body,
  etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
});

/** Where `npm run build` puts the bundle, seen from the compiled api/ folder. */
export const BUILT_ASSETS_DIR = join(__dirname, '..', 'page-assets');

async function loadAssets(): Promise<PageAssets> {
  if (existsSync(join(BUILT_ASSETS_DIR, 'app.js'))) {
    return {
      js: asset(readFileSync(join(BUILT_ASSETS_DIR, 'app.js'), 'utf8')),
      css: asset(readFileSync(join(BUILT_ASSETS_DIR, 'app.css'), 'utf8')),
    };
  }
  const { bundlePage } = await loadBundler();
  const bundle = await bundlePage();
  return { js: asset(bundle.js), css: asset(bundle.css) };
}

/**
 * Source-only (scripts/compileRuntime.ts lets this require point outside the compiled tree). tsx resolves a .ts
 * source through require; vitest's module runner only through import().
 */
async function loadBundler(): Promise<BundleModule> {
  try {
    return require('../page/bundle') as BundleModule;
  } catch (error) {
    if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    return (await import('../page/bundle')) as BundleModule;
  }
}

let loaded: Promise<PageAssets> | null = null;

/** The assets, loaded (or bundled) once per process. */
export function pageAssets(): Promise<PageAssets> {
  if (!loaded) {
    loaded = loadAssets();
    loaded.catch(() => {
      loaded = null;
    });
  }
  return loaded;
}
