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

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

function workflowFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

/** Every patched()/deprecatePatch() call in `source`, its id resolved (a literal, or a constant of workflows/patches.ts). */
function patchCallsIn(source: string, where: string): CallSite[] {
  const calls: CallSite[] = [];
  for (const match of withoutComments(source).matchAll(/\b(patched|deprecatePatch)\(\s*([^)]*?)\s*\)/g)) {
    const call = match[1] as PatchCall;
    const argument = match[2] ?? '';
    const literal = /^(['"`])([^'"`]+)\1$/.exec(argument);
    const constant = patchIds[argument];
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

const calls = workflowFiles(WORKFLOWS).flatMap((file) =>
  patchCallsIn(readFileSync(file, 'utf8'), file.slice(ROOT.length + 1)),
);
const rows = registerRows(readFileSync(REGISTER, 'utf8'));
const usedIds = [...new Set(calls.map((site) => site.id))].sort();

describe('patch register', () => {
  it('finds the patch calls of the workflows', () => {
    expect(usedIds.length).toBeGreaterThanOrEqual(6);
    expect(usedIds).toContain('fetch-priority');
  });

  it('lists every patch id a workflow uses', () => {
    const listed = new Set(rows.map((row) => row.id));
    expect(usedIds.filter((id) => !listed.has(id))).toEqual([]);
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
    expect(() => patchCallsIn('if (patched(SOME_OTHER_PATCH)) {}', 'x.ts')).toThrow(
      /neither a string literal/,
    );
    expect(patchCallsIn("deprecatePatch('old-one'); patched(FETCH_PRIORITY_PATCH)", 'x.ts')).toEqual([
      { id: 'old-one', call: 'deprecatePatch', where: 'x.ts' },
      { id: 'fetch-priority', call: 'patched', where: 'x.ts' },
    ]);
  });
});
