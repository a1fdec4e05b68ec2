// The API key: entered once and kept in this browser (localStorage), or handed over by `npm start` in the URL's
// fragment (#key=…), which browsers never send to a server; the fragment is removed from the address at once.
import { keyShapeProblem } from './keyShape';

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
