// Values as the text format of COPY … FROM STDIN reads them: tab-separated columns, \N for NULL, backslash escapes.

const SPECIAL = /[\\\t\n\r]/;

/** A text column: backslash, tab and newlines escaped (most texts have none, and are returned as they are). */
export function copyEscape(text: string): string {
  if (!SPECIAL.test(text)) return text;
  return text.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** A scalar column; null and undefined are NULL. */
export function copyScalar(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return copyEscape(value);
}

/** A json or jsonb column; null and undefined are NULL. */
export function copyJson(value: unknown): string {
  return value === null || value === undefined ? '\\N' : copyEscape(JSON.stringify(value));
}

const arrayElement = (value: string | number | null) =>
  value === null
    ? 'NULL'
    : typeof value === 'number'
      ? String(value)
      : `"${value.replace(/["\\]/g, '\\$&')}"`;

/** A one-dimensional array column (text[], double precision[]): `{a,"b",NULL}`. */
export function copyArray(values: ReadonlyArray<string | number | null>): string {
  return copyEscape(`{${values.map(arrayElement).join(',')}}`);
}
