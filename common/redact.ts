// Secrets never reach a stored error or a log line: the configured API key and any bearer token are masked.

export const REDACTED = '[redacted]';

const BEARER_TOKEN = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;
/** A private key in PEM, whole or cut off at the end of the text. */
const PEM_PRIVATE_KEY =
  /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----[\s\S]*?(-----END ([A-Z]+ )?PRIVATE KEY-----|$)/g;
/** Shorter secrets would mask ordinary text; real API keys are far longer. */
const MIN_SECRET_LENGTH = 6;

/** `text` with every secret (and its URL-encoded form) and every `Bearer …` token replaced by [redacted]. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let redacted = text.replace(BEARER_TOKEN, `$1 ${REDACTED}`).replace(PEM_PRIVATE_KEY, REDACTED);
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      redacted = redacted.split(form).join(REDACTED);
    }
  }
  return redacted;
}
