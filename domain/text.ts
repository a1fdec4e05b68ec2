// Text taken from an answer and stored or shown: PostgreSQL `text` cannot hold NUL, and a log line or a
// status line should not carry other control characters or megabytes of one field.

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** Control characters written as `\uXXXX`, then cut to `maxLength` characters (with `…` when cut). */
export function printableText(text: string, maxLength = 300): string {
  const head = text.length > maxLength * 6 ? text.slice(0, maxLength * 6) : text;
  const escaped = head.replace(
    CONTROL_CHARACTERS,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return escaped.length <= maxLength && head.length === text.length
    ? escaped
    : `${escaped.slice(0, maxLength)}…`;
}
