// The API key: entered once and kept in this browser (localStorage), or handed over by `npm start` in the URL's
// fragment (#key=…), which browsers never send to a server; the fragment is removed from the address at once.

const STORAGE_KEY = 'jao-scraper.apiKey';
const KEY_PATTERN = /^jao_[A-Za-z0-9_-]{43}$/;

export const isKeyShaped = (text: string): boolean => KEY_PATTERN.test(text);

/** A key in the fragment is stored and removed from the address bar and history. */
export function takeKeyFromFragment(): void {
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const key = fragment.get('key');
  if (key === null) return;
  if (isKeyShaped(key)) storeKey(key);
  fragment.delete('key');
  const rest = fragment.toString();
  history.replaceState(
    null,
    '',
    `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`,
  );
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
