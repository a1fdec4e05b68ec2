// shape=wide: a values answer with one row per MTU and one column per key, pivoted as the rows stream (they come
// ordered by MTU, then key), so memory holds one MTU at a time whatever the range.
import type { Format } from './params';
import { csvText } from './valueRows';
import type { AnswerFormatter } from './valueStreams';

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** The fields a wide answer reads of each value: its MTU, delivery day, key and value, as text. */
export const SELECT_WIDE = `SELECT to_char(v.mtu AT TIME ZONE 'UTC', ${ISO}), v.delivery_day::text, v.border,
       v.value_mw::text`;

/** The fields of a wide row before its keys. */
export const WIDE_LEADING_COLUMNS = ['mtu', 'delivery_day'] as const;

/**
 * Rows of (mtu, delivery_day, key, value) into one line per MTU: CSV with a header line, NDJSON one object a line,
 * JSON an envelope `{"keys", "days_missing", "rows"}`. A key without a value at an MTU is an empty field (CSV) or null.
 */
export class WideFormatter implements AnswerFormatter {
  private readonly column: Map<string, number>;
  private readonly names: string[];
  private mtu: string | null = null;
  private day = '';
  private cells: (string | null)[];
  private lines = 0;

  constructor(
    private readonly format: Format,
    private readonly keys: readonly string[],
    private readonly daysMissing: readonly string[],
  ) {
    this.column = new Map(keys.map((key, index) => [key, index]));
    this.names = keys.map((key) => JSON.stringify(key));
    this.cells = new Array<string | null>(keys.length).fill(null);
  }

  start(): string {
    if (this.format === 'csv') return `${[...WIDE_LEADING_COLUMNS, ...this.keys].map(csvText).join(',')}\n`;
    if (this.format === 'ndjson') return '';
    return `{"keys":${JSON.stringify(this.keys)},"days_missing":${JSON.stringify(this.daysMissing)},"rows":[`;
  }

  batch(rows: string[][]): string {
    let out = '';
    for (const row of rows) {
      if (row[0] !== this.mtu) {
        out += this.flush();
        this.mtu = row[0]!;
        this.day = row[1]!;
      }
      const at = this.column.get(row[2]!);
      if (at !== undefined) this.cells[at] = row[3]!;
    }
    return out;
  }

  end(): string {
    const last = this.flush();
    return this.format === 'json' ? `${last}]}` : last;
  }

  /** The line of the MTU held, if any; then none is held. */
  private flush(): string {
    if (this.mtu === null) return '';
    const cells = this.cells;
    let line: string;
    if (this.format === 'csv') {
      line = `${this.mtu},${this.day},${cells.map((cell) => cell ?? '').join(',')}\n`;
    } else {
      let object = `{"mtu":"${this.mtu}","delivery_day":"${this.day}"`;
      for (let i = 0; i < cells.length; i++) object += `,${this.names[i]}:${cells[i] ?? 'null'}`;
      object += '}';
      line = this.format === 'ndjson' ? `${object}\n` : this.lines === 0 ? object : `,${object}`;
    }
    this.lines++;
    this.mtu = null;
    this.cells = new Array<string | null>(this.keys.length).fill(null);
    return line;
  }
}
