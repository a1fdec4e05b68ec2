/**
 * Splits an SQL script into top-level statements at `;`, the way PostgreSQL's lexer reads it: semicolons inside
 * '…' strings ('' doubles a quote), E'…' strings (backslash escapes too), "…" identifiers, dollar quotes
 * ($$…$$, $tag$…$tag$), -- comments and (nested) /* … *\/ comments do not end a statement. Used for migrations
 * that must run outside a transaction block, where each statement has to be sent on its own. A statement keeps
 * the comments before it; a piece with nothing but comments and blanks is dropped.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let index = 0;
  let significant = false;
  const length = script.length;
  while (index < length) {
    const char = script[index] as string;
    const next = script[index + 1];
    if (char === '-' && next === '-') {
      const end = script.indexOf('\n', index);
      index = end === -1 ? length : end + 1;
    } else if (char === '/' && next === '*') {
      index = endOfBlockComment(script, index);
    } else if (char === ';') {
      if (significant) statements.push(script.slice(start, index));
      index += 1;
      start = index;
      significant = false;
    } else {
      significant ||= !/\s/.test(char);
      if (char === "'") {
        index = endOfQuoted(script, index, "'", isEscapeStringPrefix(script, index));
      } else if (char === '"') {
        index = endOfQuoted(script, index, '"', false);
      } else if (char === '$' && !followsIdentifier(script, index)) {
        index = endOfDollarQuote(script, index);
      } else if (isIdentifierChar(char)) {
        // A whole word at once: a `$` inside an identifier (a$b$) or a parameter ($1) starts no dollar quote.
        while (index < length && isIdentifierChar(script[index] as string)) index += 1;
      } else {
        index += 1;
      }
    }
  }
  if (significant) statements.push(script.slice(start));
  return statements;
}

function isIdentifierChar(char: string): boolean {
  return /[\p{L}\p{N}_$]/u.test(char);
}

function followsIdentifier(script: string, index: number): boolean {
  return index > 0 && isIdentifierChar(script[index - 1] as string);
}

/** The `'` at `index` opens an E'…' string: preceded by a lone E or e (not the end of a longer word). */
function isEscapeStringPrefix(script: string, index: number): boolean {
  const prefix = script[index - 1];
  return (prefix === 'E' || prefix === 'e') && !followsIdentifier(script, index - 1);
}

/** Index after the quoted text opening at `index`: a doubled quote stays inside, and with `backslashes` \x too. */
function endOfQuoted(script: string, index: number, quote: string, backslashes: boolean): number {
  let cursor = index + 1;
  while (cursor < script.length) {
    const char = script[cursor];
    if (backslashes && char === '\\') {
      cursor += 2;
    } else if (char === quote) {
      if (script[cursor + 1] !== quote) return cursor + 1;
      cursor += 2;
    } else {
      cursor += 1;
    }
  }
  return script.length;
}

/** Index after the block comment opening at `index`; PostgreSQL's block comments nest. */
function endOfBlockComment(script: string, index: number): number {
  let depth = 0;
  let cursor = index;
  while (cursor < script.length) {
    if (script[cursor] === '/' && script[cursor + 1] === '*') {
      depth += 1;
      cursor += 2;
    } else if (script[cursor] === '*' && script[cursor + 1] === '/') {
      depth -= 1;
      cursor += 2;
      if (depth === 0) return cursor;
    } else {
      cursor += 1;
    }
  }
  return script.length;
}

const DOLLAR_TAG = /\$(?:[\p{L}_][\p{L}\p{N}_]*)?\$/uy;

/** Index after the dollar-quoted text opening at `index`, or after the lone `$` when it opens none. */
function endOfDollarQuote(script: string, index: number): number {
  DOLLAR_TAG.lastIndex = index;
  const tag = DOLLAR_TAG.exec(script)?.[0];
  if (!tag) return index + 1;
  const end = script.indexOf(tag, index + tag.length);
  return end === -1 ? script.length : end + tag.length;
}
