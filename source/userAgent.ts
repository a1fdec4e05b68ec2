import { version } from '../package.json';

/** `jao-scraper/<version> (+<contact>)`, or without the comment when no contact is configured (JAO_CONTACT). */
export function jaoUserAgent(contact?: string): string {
  return contact ? `jao-scraper/${version} (+${contact})` : `jao-scraper/${version}`;
}
