// The page reads the API's answer types from domain/apiAnswers.ts, a module of zod schemas. It may import their
// types only: a value import would pull zod (and the schemas) into the browser bundle.
import { join } from 'node:path';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

it('bundles the page without zod or any module of domain/ that holds schemas', async () => {
  const root = join(__dirname, '..', '..');
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'page', 'client', 'main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    metafile: true,
    outdir: 'out',
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.some((input) => input.startsWith('page/client/'))).toBe(true);
  expect(
    inputs.filter((input) => input.includes('node_modules/zod/') || input === 'domain/apiAnswers.ts'),
  ).toEqual([]);
});
