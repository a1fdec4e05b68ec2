import { describe, expect, it } from 'vitest';
import { RowFormatter, VALUE_COLUMNS } from '../../api/valueRows';

const row = (border = 'AT_BE', fromZone = 'AT', toZone = 'BE') => [
  '2023-03-26T00:00:00.000Z',
  '2023-03-26',
  border,
  fromZone,
  toZone,
  '1234.5',
  '2',
  '2023-03-25T12:00:00.000Z',
  '2023-03-25T13:00:00.000Z',
];

function format(kind: 'json' | 'ndjson' | 'csv', batches: string[][][]): string {
  const formatter = new RowFormatter(kind);
  return formatter.start() + batches.map((rows) => formatter.batch(rows)).join('') + formatter.end();
}

describe('RowFormatter', () => {
  it('writes JSON objects with the view’s columns, in order, numbers as numbers, across batches', () => {
    const parsed = JSON.parse(format('json', [[row()], [row('DE_FR', 'DE', 'FR'), row()]])) as object[];
    expect(parsed).toHaveLength(3);
    expect(Object.keys(parsed[0]!)).toEqual([...VALUE_COLUMNS]);
    expect(parsed[1]).toEqual({
      mtu: '2023-03-26T00:00:00.000Z',
      delivery_day: '2023-03-26',
      border: 'DE_FR',
      from_zone: 'DE',
      to_zone: 'FR',
      value_mw: 1234.5,
      revision: 2,
      first_seen_at: '2023-03-25T12:00:00.000Z',
      updated_at: '2023-03-25T13:00:00.000Z',
    });
    const ndjson = format('ndjson', [[row(), row()]])
      .trimEnd()
      .split('\n');
    expect(ndjson.map((line) => JSON.parse(line))).toEqual([parsed[0], parsed[0]]);
  });

  it('writes CSV with a header, quoting and escaping text that needs it', () => {
    const text = format('csv', [[row()], [row('A,"B"', 'A\nx', 'B')]]);
    expect(text).toBe(
      `${VALUE_COLUMNS.join(',')}\n` +
        '2023-03-26T00:00:00.000Z,2023-03-26,AT_BE,AT,BE,1234.5,2,2023-03-25T12:00:00.000Z,2023-03-25T13:00:00.000Z\n' +
        '2023-03-26T00:00:00.000Z,2023-03-26,"A,""B""","A\nx",B,1234.5,2,2023-03-25T12:00:00.000Z,2023-03-25T13:00:00.000Z\n',
    );
  });

  it('escapes such text in JSON too', () => {
    const [parsed] = JSON.parse(format('json', [[row('A,"B"', 'A\nx', 'B\\')]])) as Record<string, unknown>[];
    expect(parsed).toMatchObject({ border: 'A,"B"', from_zone: 'A\nx', to_zone: 'B\\' });
  });
});
