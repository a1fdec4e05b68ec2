import { describe, expect, it } from 'vitest';
import { BASELINE_MIGRATION, loadMigrations } from '../../db/migrations';
import { splitSqlStatements } from '../../db/sqlScript';

const split = (script: string) => splitSqlStatements(script).map((statement) => statement.trim());

describe('splitSqlStatements', () => {
  it('splits at top-level semicolons and drops pieces with only comments and blanks', () => {
    expect(split('SELECT 1; SELECT 2;\n  ;\n-- the end;\n')).toEqual(['SELECT 1', 'SELECT 2']);
    expect(split('SELECT 1')).toEqual(['SELECT 1']);
    expect(split('')).toEqual([]);
  });

  it("keeps ';' inside standard strings, with '' as a quote", () => {
    expect(split("INSERT INTO t VALUES ('a;b', 'it''s; fine'); SELECT 'x'")).toEqual([
      "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
      "SELECT 'x'",
    ]);
  });

  it('reads a backslash in a standard string as an ordinary character', () => {
    expect(split("SELECT 'C:\\'; SELECT 2")).toEqual(["SELECT 'C:\\'", 'SELECT 2']);
  });

  it("keeps ';' inside E'' strings, whose backslash escapes a quote", () => {
    expect(split("SELECT E'it\\'s; fine', e'a\\\\'; SELECT E'x''y;z'; SELECT 3")).toEqual([
      "SELECT E'it\\'s; fine', e'a\\\\'",
      "SELECT E'x''y;z'",
      'SELECT 3',
    ]);
  });

  it("treats a word ending in E before a quote as no E'' prefix", () => {
    expect(split("SELECT date'x\\'; SELECT 2")).toEqual(["SELECT date'x\\'", 'SELECT 2']);
    expect(split("SELECT name FROM t WHERE x = 'CASE\\'; SELECT 2")).toEqual([
      "SELECT name FROM t WHERE x = 'CASE\\'",
      'SELECT 2',
    ]);
  });

  it('keeps \';\' inside double-quoted identifiers, with "" as a quote', () => {
    expect(split('CREATE TABLE "semi;colon" ("a"";b" int); SELECT 1')).toEqual([
      'CREATE TABLE "semi;colon" ("a"";b" int)',
      'SELECT 1',
    ]);
  });

  it("ignores ';' in -- comments and keeps the comment with the next statement", () => {
    expect(split('SELECT 1; -- trailing; comment\nSELECT 2 -- no end here;\n;')).toEqual([
      'SELECT 1',
      '-- trailing; comment\nSELECT 2 -- no end here;',
    ]);
  });

  it("ignores ';' in block comments, nested ones included", () => {
    expect(split('/* a; /* nested; */ still; comment */ SELECT 1; SELECT /* x; */ 2')).toEqual([
      '/* a; /* nested; */ still; comment */ SELECT 1',
      'SELECT /* x; */ 2',
    ]);
  });

  it("keeps ';' inside $$ … $$ and $tag$ … $tag$, in DO blocks and function bodies", () => {
    const doBlock = `DO $$
BEGIN
  PERFORM 1;
  RAISE NOTICE 'done; really';
END
$$`;
    const fn = `CREATE FUNCTION f(x int) RETURNS int LANGUAGE plpgsql AS $body$
DECLARE y int := 1;
BEGIN
  -- a $$ inside another tag is text
  RETURN x + y + length($q$;$q$);
END;
$body$`;
    expect(split(`${doBlock};\n${fn};\nSELECT $_1$ ; $_1$, $1::int`)).toEqual([
      doBlock,
      fn,
      'SELECT $_1$ ; $_1$, $1::int',
    ]);
  });

  it('does not read a $ inside an identifier or a parameter as a dollar quote', () => {
    expect(split('SELECT a$b$ FROM t WHERE x = $1; SELECT 2')).toEqual([
      'SELECT a$b$ FROM t WHERE x = $1',
      'SELECT 2',
    ]);
  });

  it('keeps the statements of a no-transaction migration as before', () => {
    const script = `-- jao:no-transaction
CREATE VIEW a AS SELECT ';' AS x; -- trailing; comment
DO $$ BEGIN PERFORM 1; END $$;
/* block; comment */ SELECT $tag$ ; $tag$, "semi;colon";
   -- only a comment;
`;
    expect(split(script)).toEqual([
      `-- jao:no-transaction\nCREATE VIEW a AS SELECT ';' AS x`,
      `-- trailing; comment\nDO $$ BEGIN PERFORM 1; END $$`,
      `/* block; comment */ SELECT $tag$ ; $tag$, "semi;colon"`,
    ]);
  });

  it('splits the baseline migration into whole statements: DO blocks and function bodies stay in one piece', () => {
    const baseline = loadMigrations().find((migration) => migration.name === BASELINE_MIGRATION)!.sql;
    const statements = split(baseline).map((statement) => statement.replace(/^(\s*--[^\n]*\n)*\s*/, ''));
    for (const statement of statements) {
      expect(statement).toMatch(/^(CREATE|ALTER|DO|COMMENT|GRANT|REVOKE|INSERT) /);
    }
    expect(statements.filter((statement) => statement.startsWith('DO ')).length).toBe(
      baseline.match(/^DO \$/gm)?.length,
    );
    expect(statements.filter((statement) => statement.startsWith('CREATE FUNCTION')).length).toBe(5);
  });

  it('leaves an unterminated quote or comment running to the end of the script', () => {
    expect(split("SELECT 'open; SELECT 2")).toEqual(["SELECT 'open; SELECT 2"]);
    expect(split('SELECT 1 /* open; SELECT 2')).toEqual(['SELECT 1 /* open; SELECT 2']);
    expect(split('DO $x$ open; SELECT 2')).toEqual(['DO $x$ open; SELECT 2']);
  });
});
