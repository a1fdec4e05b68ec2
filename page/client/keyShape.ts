// The form of an API key (db/apiKeys.ts: `jao_` and 32 random bytes in base64url), and why a text is not one. Pure
// (no DOM): test/unit/pageInputs.test.ts.

const KEY_PATTERN = /^jao_[A-Za-z0-9_-]{43}$/;

export const isKeyShaped = (text: string): boolean => KEY_PATTERN.test(text);

/** The characters of a key after `jao_` (32 random bytes in base64url: db/apiKeys.ts). */
const KEY_BODY_LENGTH = 43;

/**
 * Why `text` is not an API key, in words that name the likely cause (a key cut short when copied), or null when it
 * has a key's form. Whether the API knows the key is another question (it answers 401).
 */
export function keyShapeProblem(text: string): string | null {
  if (isKeyShaped(text)) return null;
  if (text === '') return 'is empty';
  if (!text.startsWith('jao_')) return 'does not start with jao_';
  const body = text.slice(4);
  if (/[^A-Za-z0-9_-]/.test(body))
    return 'has characters a key never holds (a key is jao_ and 43 of A–Z, a–z, 0–9, _ and -)';
  const fault = body.length < KEY_BODY_LENGTH ? 'is cut short' : 'is too long';
  return `${fault}: ${body.length} characters after jao_ where a key has ${KEY_BODY_LENGTH}`;
}
