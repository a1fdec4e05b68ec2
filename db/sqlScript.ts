/**
 * Splits an SQL script into top-level statements at `;`, ignoring semicolons inside quotes
 * ('…', "…", dollar quotes $tag$…$tag$) and comments (-- … and /* … *\/). Used for migrations that must
 * run outside a transaction block, where each statement has to be sent on its own.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let index = 0;
  const length = script.length;
  while (index < length) {
    const char = script[index];
    const next = script[index + 1];
    if (char === '-' && next === '-') {
      const end = script.indexOf('\n', index);
      index = end === -1 ? length : end + 1;
    } else if (char === '/' && next === '*') {
      const end = script.indexOf('*/', index + 2);
      index = end === -1 ? length : end + 2;
    } else if (char === "'" || char === '"') {
      let cursor = index + 1;
      while (cursor < length) {
        if (script[cursor] === char) {
          if (script[cursor + 1] === char) {
            cursor += 2;
            continue;
          }
          break;
        }
        cursor += 1;
      }
      index = cursor + 1;
    } else if (char === '$') {
      const tag = /^\$[A-Za-z_][A-Za-z0-9_]*\$|^\$\$/.exec(script.slice(index, index + 64));
      if (tag) {
        const end = script.indexOf(tag[0], index + tag[0].length);
        index = end === -1 ? length : end + tag[0].length;
      } else {
        index += 1;
      }
    } else if (char === ';') {
      statements.push(script.slice(start, index));
      index += 1;
      start = index;
    } else {
      index += 1;
    }
  }
  statements.push(script.slice(start));
  return statements.filter((statement) => stripComments(statement).trim() !== '');
}

function stripComments(statement: string): string {
  return statement.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}
