// Every relative link of README.md and docs/**/*.md points at a file of the repository, and every `#anchor` at a
// heading of its target (GitHub's slugs). The reference pages are generated elsewhere (docs/reference/): a link to
// one of them is taken as good whether or not the file exists on this branch.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const GENERATED = new Set(
  ['settings.md', 'alerts.md', 'cli.md', 'data-dictionary.md', 'api.md', 'README.md'].map((name) =>
    join(ROOT, 'docs', 'reference', name),
  ),
);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

/** The text outside fenced code blocks and inline code: links there are examples, not links. */
function prose(markdown: string): string {
  return markdown.replace(/^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, each space a hyphen; repeats get -1, -2, … */
function slugs(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  const withoutFences = markdown.replace(/^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '');
  for (const match of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = match[1]!
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .toLowerCase();
    const base = text.replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '').replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

interface Link {
  file: string;
  target: string;
}

function relativeLinks(file: string): Link[] {
  const links: Link[] = [];
  for (const match of prose(readFileSync(file, 'utf8')).matchAll(
    /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
  )) {
    const target = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, mailto:, …
    links.push({ file, target });
  }
  return links;
}

function problem({ file, target }: Link): string | null {
  const [path = '', anchor] = target.split('#', 2) as [string, string | undefined];
  const resolved = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
  if (path.startsWith('/')) return 'an absolute path: link relative to the file';
  if (!resolved.startsWith(`${ROOT}/`) && resolved !== ROOT) return 'outside the repository';
  if (!existsSync(resolved)) return GENERATED.has(resolved) ? null : 'no such file';
  if (anchor === undefined || anchor === '' || !resolved.endsWith('.md')) return null;
  return slugs(readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor).toLowerCase())
    ? null
    : `no heading with the anchor #${anchor}`;
}

describe('relative links of README.md and docs/', () => {
  const files = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))];

  it('finds the documents', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('each points at a file of the repository, and each #anchor at one of its headings', () => {
    const broken = files
      .flatMap(relativeLinks)
      .map((link) => ({ link, why: problem(link) }))
      .filter(({ why }) => why !== null)
      .map(({ link, why }) => `${relative(ROOT, link.file)}: ${link.target}: ${why}`);
    expect(broken).toEqual([]);
  });

  it('knows GitHub slugs', () => {
    expect([
      ...slugs(
        '## The last month: `npm start -- --simulate`\n## Re-run a day, or the failed days\n## A\n## A',
      ),
    ]).toEqual(['the-last-month-npm-start------simulate', 're-run-a-day-or-the-failed-days', 'a', 'a-1']);
  });
});
