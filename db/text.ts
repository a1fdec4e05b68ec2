/** Text for a PostgreSQL `text` value, which cannot hold NUL: each NUL becomes U+FFFD. */
export function pgText(text: string): string;
export function pgText(text: string | null): string | null;
export function pgText(text: string | null): string | null {
  return text === null || !text.includes('\u0000') ? text : text.replaceAll('\u0000', '\uFFFD');
}
