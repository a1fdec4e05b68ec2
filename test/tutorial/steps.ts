// The steps of docs/tutorial.md as `npm run test:tutorial` runs them: each ```sh block in order, with the HTML
// comments that follow it (until the next block or heading) saying what the prose says you will see.
//
// The page's terminal model: each block's first line names its terminal, `# your terminal` or `# the stack's
// terminal`; the stack's terminal runs the background blocks (the stack), and only them. Each terminal keeps its own
// variables: an `export` in one is not seen in the other.
//
//   <!-- expect: /regex/ -->            the block's output (stdout and stderr) matches; a background block: is
//                                       waited for until it does
//   <!-- expect-count: N /regex/ -->    … matches N times (a global search)
//   <!-- exit: N -->                    the block exits N (default 0)
//   <!-- background -->                 the block keeps running (a terminal of its own) until a later <!-- stop -->
//   <!-- skip: why -->                  not run
//   <!-- stop -->                       (anywhere in the prose) Ctrl-C to the latest background block, which must end

export interface Expectation {
  pattern: RegExp;
  count?: number;
}

/** Where a block runs: the reader's terminal, or the one the stack runs in. */
export type Terminal = 'yours' | 'stack';

const TERMINALS: Record<string, Terminal> = {
  '# your terminal': 'yours',
  "# the stack's terminal": 'stack',
};

export type Step =
  | {
      kind: 'block';
      line: number;
      terminal: Terminal;
      script: string;
      expect: Expectation[];
      exit: number;
      background: boolean;
      skip?: string;
    }
  | { kind: 'stop'; line: number };

function regexOf(text: string, where: string): RegExp {
  const match = /^\/(.*)\/([a-z]*)$/s.exec(text.trim());
  if (!match) throw new Error(`${where}: an expectation is /regex/, got ${text}`);
  return new RegExp(match[1]!, match[2]);
}

export function parseTutorial(markdown: string): Step[] {
  const lines = markdown.split('\n');
  const steps: Step[] = [];
  let current: Extract<Step, { kind: 'block' }> | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const where = `docs/tutorial.md:${i + 1}`;
    if (line.startsWith('```')) {
      const fence = line.slice(3).trim();
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!);
      if (fence === 'sh') {
        const line = i + 1 - body.length;
        const terminal = TERMINALS[body[0]?.trim() ?? ''];
        if (!terminal)
          throw new Error(
            `docs/tutorial.md:${line}: a block's first line names its terminal (${Object.keys(TERMINALS).join(' or ')})`,
          );
        current = {
          kind: 'block',
          line,
          terminal,
          script: body.join('\n'),
          expect: [],
          exit: 0,
          background: false,
        };
        steps.push(current);
      } else current = undefined;
      continue;
    }
    if (line.startsWith('#')) current = undefined;
    const comment = /^<!--\s*([a-z-]+)(?::\s*(.*?))?\s*-->$/.exec(line.trim());
    if (!comment) continue;
    const [, directive, argument = ''] = comment;
    if (directive === 'stop') {
      steps.push({ kind: 'stop', line: i + 1 });
      current = undefined;
      continue;
    }
    if (!current) throw new Error(`${where}: <!-- ${directive} --> follows no sh block`);
    if (directive === 'expect') current.expect.push({ pattern: regexOf(argument, where) });
    else if (directive === 'expect-count') {
      const counted = /^(\d+)\s+(.*)$/s.exec(argument);
      if (!counted) throw new Error(`${where}: expect-count: N /regex/`);
      const pattern = regexOf(counted[2]!, where);
      current.expect.push({
        pattern: new RegExp(pattern.source, `${pattern.flags}g`),
        count: Number(counted[1]),
      });
    } else if (directive === 'exit') current.exit = Number(argument);
    else if (directive === 'background') current.background = true;
    else if (directive === 'skip') current.skip = argument || 'skipped';
    else throw new Error(`${where}: unknown directive <!-- ${directive} -->`);
  }
  for (const step of steps) {
    if (step.kind === 'block' && step.background !== (step.terminal === 'stack'))
      throw new Error(
        `docs/tutorial.md:${step.line}: the stack's terminal runs the stack (background blocks), and only them`,
      );
  }
  return steps;
}

/** Whether `output` shows what the expectation says; the failing ones' descriptions. */
export function unmet(expect: Expectation[], output: string): string[] {
  const failures: string[] = [];
  for (const expectation of expect) {
    if (expectation.count === undefined) {
      if (!expectation.pattern.test(output)) failures.push(`no match for ${expectation.pattern}`);
    } else {
      const found = output.match(expectation.pattern)?.length ?? 0;
      if (found !== expectation.count)
        failures.push(`${found} match(es) for ${expectation.pattern}, expected ${expectation.count}`);
    }
  }
  return failures;
}

/** The stack of the runner in place of the reader's defaults: its own ports, database names and data directory. */
export interface Stack {
  apiPort: number;
  uiPort: number;
  temporalPort: number;
  simulatorPort: number;
  /** `postgres://user@host:port` of the test's server, no database. */
  server: string;
  /** The database name prefix of this run (`<prefix>` for the stack, `<prefix>_restored` for the restore). */
  database: string;
  dataDir: string;
}

/** A block's script as it runs here: the reader's ports, databases and paths swapped for the runner's own. */
export function localise(script: string, stack: Stack): string {
  return script
    .replaceAll('postgres://postgres@127.0.0.1:5432/postgres', `${stack.server}/postgres`)
    .replaceAll(
      'postgres://postgres@127.0.0.1:5432/jao_restored',
      `${stack.server}/${stack.database}_restored`,
    )
    .replaceAll('jao_restored', `${stack.database}_restored`)
    .replaceAll('127.0.0.1:3000', `127.0.0.1:${stack.apiPort}`)
    .replaceAll('127.0.0.1:8233', `127.0.0.1:${stack.uiPort}`)
    .replaceAll('127.0.0.1:8090', `127.0.0.1:${stack.simulatorPort}`)
    .replaceAll('--simulator-port 8090', `--simulator-port ${stack.simulatorPort}`)
    .replaceAll('$PWD/.data', stack.dataDir)
    .replace(
      /npm start(?: --)?/g,
      `TEMPORAL_ADDRESS= npm start -- --temporal-port ${stack.temporalPort} --ui-port ${stack.uiPort}`,
    );
}
