// The API key: entered once and kept in this browser (localStorage), or handed over by `npm start` in the URL's
// fragment (#key=…), which browsers never send to a server; the fragment is removed from the address at once.

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
  return body.length < KEY_BODY_LENGTH
    ? `is cut short: ${body.length} characters after jao_ where a key has ${KEY_BODY_LENGTH}`
    : `is too long: ${body.length} characters after jao_ where a key has ${KEY_BODY_LENGTH}`;
}

const STORAGE_KEY = 'jao-scraper.apiKey';

/**
 * A key in the fragment is stored and removed from the address bar and history. Returns why the fragment's key was
 * not taken (it is not a key's form: a link cut short), or null (a key taken, or none given).
 */
export function takeKeyFromFragment(): string | null {
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const key = fragment.get('key');
  if (key === null) return null;
  const problem = keyShapeProblem(key);
  if (problem === null) storeKey(key);
  fragment.delete('key');
  const rest = fragment.toString();
  history.replaceState(
    null,
    '',
    `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`,
  );
  return problem === null
    ? null
    : `The API key in the page's address (#key=…) is malformed: it ${problem}. Was the link cut when it was copied? Open the whole link that npm start printed, or enter the key.`;
}

export function storedKey(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function storeKey(key: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, key);
  } catch {
    // storage refused (private mode): the key lasts for this page only
  }
}

export function forgetKey(): void {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}
