// The workflow code a worker runs: a prebuilt bundle (`npm run build`, the deployed image) or one bundled at
// start-up from workflows/ (local stack, tests). Either way the worker knows the build it runs.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type BundleOptions, bundleWorkflowCode } from '@temporalio/worker';
import { type BuildInfo, buildInfoOf, buildInfoSchema, REPO_ROOT, sha256Hex } from '../common/buildInfo';

// The compiled tree (dist/) holds workflows/index.js instead of the source.
const workflowsIndex = (file: string) => join(REPO_ROOT, 'workflows', file);
export const WORKFLOWS_PATH = existsSync(workflowsIndex('index.ts'))
  ? workflowsIndex('index.ts')
  : workflowsIndex('index.js');
export const BUNDLE_FILE = 'workflows.js';
export const BUILD_INFO_FILE = 'build-info.json';

export interface WorkflowBundle {
  code: string;
  info: BuildInfo;
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} };

type WebpackConfiguration = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

/** zod's CommonJS index of every locale (40 languages); domain/zod.ts loads zod, which sets English itself. */
const ZOD_LOCALES_INDEX = require.resolve('zod/v4/locales');

/**
 * A worker keeps the bundle as a string in its main thread and in its workflow thread, and its source map parsed:
 * the map carries no sources (stack traces keep their files and lines), zod's locale index is left out, and the
 * code is ASCII, which V8 stores in one byte a character instead of two (a few comments of dependencies hold
 * dashes and accents).
 */
function slim(config: WebpackConfiguration): WebpackConfiguration {
  return {
    ...config,
    devtool: 'inline-nosources-source-map',
    resolve: { ...config.resolve, alias: { ...config.resolve?.alias, [ZOD_LOCALES_INDEX]: false } },
  };
}

/** Non-ASCII characters as \u escapes, which mean the same in strings, regular expressions and comments. */
const asciiOnly = (code: string) =>
  code.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Bundles workflows/ (or another entry point: tests bundle deliberately altered variants). */
export async function bundleWorkflows(workflowsPath = WORKFLOWS_PATH): Promise<string> {
  const bundle = await bundleWorkflowCode({ workflowsPath, logger: quietLogger, webpackConfigHook: slim });
  return asciiOnly(bundle.code);
}

/** Builds the bundle into `outDir` with its build-info.json next to it; returns the build info. */
export async function writeWorkflowBundle(outDir: string): Promise<BuildInfo> {
  const code = await bundleWorkflows();
  const info: BuildInfo = { ...buildInfoOf(code), builtAt: new Date().toISOString() };
  mkdirSync(outDir, { recursive: true });
  const write = (name: string, text: string) => {
    const path = join(outDir, name);
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
  };
  write(BUNDLE_FILE, code);
  write(BUILD_INFO_FILE, `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

/**
 * A bundle file and its build info. The build-info.json written beside it by `npm run build` counts only when
 * it describes this very file (same sha256); otherwise the build id is computed from the file.
 */
export function readWorkflowBundle(bundlePath: string): WorkflowBundle {
  if (!existsSync(bundlePath)) {
    throw new Error(`workflow bundle ${bundlePath} does not exist (build it with "npm run build")`);
  }
  const code = readFileSync(bundlePath, 'utf8');
  const infoPath = join(dirname(bundlePath), BUILD_INFO_FILE);
  if (existsSync(infoPath)) {
    const parsed = buildInfoSchema.safeParse(JSON.parse(readFileSync(infoPath, 'utf8')));
    if (parsed.success && parsed.data.bundleSha256 === sha256Hex(code)) return { code, info: parsed.data };
  }
  return { code, info: buildInfoOf(code) };
}

/** The prebuilt bundle when a path is given, else workflows/ bundled now. */
export async function loadWorkflowBundle(bundlePath?: string): Promise<WorkflowBundle> {
  if (bundlePath) return readWorkflowBundle(bundlePath);
  const code = await bundleWorkflows();
  return { code, info: buildInfoOf(code) };
}
