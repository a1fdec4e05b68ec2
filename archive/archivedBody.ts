// Reading back a raw answer's body that left the database under RAW_RETENTION_DAYS (reprocessing, a re-check that
// judges an older answer): from the archive at ARCHIVE_URL, its bytes checked against their name.
import { type ArchivedBodyReader, ArchivedBodyUnreadable } from '../db/storedAnswer';
import { readAnswerObject } from './format';
import type { ArchiveStore } from './store';

/**
 * A reader of archived bodies from the store `openStore` gives (opened on the first read only). Its errors say what
 * is wrong with the archive; the caller names the object and the answer.
 */
export function archivedBodyReader(openStore: () => Promise<ArchiveStore>): ArchivedBodyReader {
  return async (key) => {
    let store: ArchiveStore;
    let bytes: Uint8Array | undefined;
    try {
      store = await openStore();
      bytes = await store.get(key);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ArchivedBodyUnreadable(`cannot read the archive: ${reason}`, { cause: error });
    }
    if (!bytes) throw new ArchivedBodyUnreadable(`not in the archive ${store.location}`);
    const read = await readAnswerObject(key, bytes);
    if (!read.bytes || !read.matches)
      throw new ArchivedBodyUnreadable(`the archive ${store.location} holds other bytes under that name`);
    return read.bytes;
  };
}
