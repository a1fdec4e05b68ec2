// The patch register (docs/workflow-changes.md) and the workflows' patched()/deprecatePatch() calls agree.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as patches from '../../workflows/patches';

const ROOT = join(__dirname, '..', '..');
const WORKFLOWS = join(ROOT, 'workflows');
const REGISTER = join(ROOT, 'docs', 'workflow-changes.md');

type PatchCall = 'patched' | 'deprecatePatch';

interface CallSite {
  id: string;
  call: PatchCall;
  where: string;
}

interface RegisterRow {
  id: string;
  constant: string;
  state: string;
}

const patchIds: Record<string, unknown> = patches;

/** A synthetic `workflows/patches.ts` for the checks' own tests: the register may hold no id yet. */
const EXAMPLE_IDS: Record<string, unknown> = { EXAMPLE_PATCH: 'example-change' };

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

function workflowFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

/** Every patched()/deprecatePatch() call in `source`, its id resolved (a literal, or a constant of workflows/patches.ts). */
function patchCallsIn(source: string, where: string, ids: Record<string, unknown> = patchIds): CallSite[] {
  const calls: CallSite[] = [];
  for (const match of withoutComments(source).matchAll(/\b(patched|deprecatePatch)\(\s*([^)]*?)\s*\)/g)) {
    const call = match[1] as PatchCall;
    const argument = match[2] ?? '';
    const literal = /^(['"`])([^'"`]+)\1$/.exec(argument);
    const constant = ids[argument];
    const id = literal ? literal[2] : typeof constant === 'string' ? constant : undefined;
    if (id === undefined) {
      throw new Error(
        `${where}: ${call}(${argument}) is neither a string literal nor a constant of workflows/patches.ts`,
      );
    }
    calls.push({ id, call, where });
  }
  return calls;
}

function registerRows(markdown: string): RegisterRow[] {
  const section = markdown.split(/^## Patch register$/m)[1];
  if (section === undefined) throw new Error('docs/workflow-changes.md has no "## Patch register" section');
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      return {
        id: (cells[0] ?? '').replaceAll('`', ''),
        constant: (cells[1] ?? '').replaceAll('`', ''),
        state: cells.at(-1) ?? '',
      };
    });
}

/** Ids a call uses that no row of the register lists. */
function unlistedIds(sites: CallSite[], listed: RegisterRow[]): string[] {
  const ids = new Set(listed.map((row) => row.id));
  return [...new Set(sites.map((site) => site.id))].filter((id) => !ids.has(id)).sort();
}

const calls = workflowFiles(WORKFLOWS).flatMap((file) =>
  patchCallsIn(readFileSync(file, 'utf8'), file.slice(ROOT.length + 1)),
);
const rows = registerRows(readFileSync(REGISTER, 'utf8'));
const usedIds = [...new Set(calls.map((site) => site.id))].sort();

describe('patch register', () => {
  it('lists every patch id a workflow uses', () => {
    expect(unlistedIds(calls, rows)).toEqual([]);
  });

  it('fails on a patch id a workflow uses that the register lacks', () => {
    const source = "if (patched(EXAMPLE_PATCH)) {}\nif (patched('other-change')) {}";
    const sites = patchCallsIn(source, 'x.ts', EXAMPLE_IDS);
    expect(unlistedIds(sites, [])).toEqual(['example-change', 'other-change']);
    const row = { id: 'example-change', constant: 'EXAMPLE_PATCH', state: 'patched' };
    expect(unlistedIds(sites, [row])).toEqual(['other-change']);
  });

  it('reads the rows of a register table', () => {
    const markdown = [
      '## Patch register',
      '',
      '| id | constant | added | guards (the new branch) | state |',
      '| --- | --- | --- | --- | --- |',
      '| `example-change` | `EXAMPLE_PATCH` | 2027-01-02 | day workflow: something new | patched |',
    ].join('\n');
    expect(registerRows(markdown)).toEqual([
      { id: 'example-change', constant: 'EXAMPLE_PATCH', state: 'patched' },
    ]);
  });

  it('lists no id twice, and every row has a known state', () => {
    expect(rows.map((row) => row.id).filter((id, i, all) => all.indexOf(id) !== i)).toEqual([]);
    expect(rows.filter((row) => !/^(patched|deprecated|removed \d{4}-\d{2}-\d{2})$/.test(row.state))).toEqual(
      [],
    );
  });

  it('says so for every listed id no workflow uses any more', () => {
    const used = new Set(usedIds);
    const silentlyGone = rows.filter((row) => !used.has(row.id) && !row.state.startsWith('removed'));
    expect(silentlyGone.map((row) => row.id)).toEqual([]);
    const removedButUsed = rows.filter((row) => used.has(row.id) && row.state.startsWith('removed'));
    expect(removedButUsed.map((row) => row.id)).toEqual([]);
  });

  it('matches each call to its row: patched() for patched, deprecatePatch() for deprecated', () => {
    const state = new Map(rows.map((row) => [row.id, row.state]));
    const mismatched = calls
      .filter((site) => state.has(site.id))
      .filter((site) => (site.call === 'patched') !== (state.get(site.id) === 'patched'))
      .map((site) => `${site.where}: ${site.call}('${site.id}') but the register says ${state.get(site.id)}`);
    expect(mismatched).toEqual([]);
  });

  it('names the constant of workflows/patches.ts that holds each id in use', () => {
    const wrong = rows
      .filter((row) => !row.state.startsWith('removed'))
      .filter((row) => patchIds[row.constant] !== row.id)
      .map((row) => `${row.id}: ${row.constant}`);
    expect(wrong).toEqual([]);
  });

  it('fails on an id held in no constant of workflows/patches.ts', () => {
    expect(() => patchCallsIn('if (patched(SOME_OTHER_PATCH)) {}', 'x.ts', EXAMPLE_IDS)).toThrow(
      /neither a string literal/,
    );
    expect(patchCallsIn("deprecatePatch('old-one'); patched(EXAMPLE_PATCH)", 'x.ts', EXAMPLE_IDS)).toEqual([
      { id: 'old-one', call: 'deprecatePatch', where: 'x.ts' },
      { id: 'example-change', call: 'patched', where: 'x.ts' },
    ]);
  });
});
