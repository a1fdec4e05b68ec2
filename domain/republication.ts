// When an answer is a re-publication of a stored day (docs/datasets.md, "Re-published days"): JAO wrote the day
// again (a declared extra row field such as Nordic's lastModifiedOn moved) but every value stayed as stored.

export interface RepublicationFacts {
  /** The write re-derives a stored answer (a reprocessing): never a publication by JAO. */
  reprocess: boolean;
  /** The day had stored values before this write (revision_count > 0). */
  storedBefore: boolean;
  /** The write changed, added or removed a value: that is a revision, whatever else moved. */
  contentChanged: boolean;
  /** Extra row fields of MTUs whose stored text this answer changed (a field seen for the first time is none). */
  movedFields: number;
  /** What a re-check of a stored day met (a worse answer, say); a re-publication is a good answer. */
  recheckError: string | null;
}

/** A stored day answered again with the same values and moved extra row fields: re-published, not revised. */
export function isRepublication(facts: RepublicationFacts): boolean {
  return (
    !facts.reprocess &&
    facts.storedBefore &&
    !facts.contentChanged &&
    facts.movedFields > 0 &&
    facts.recheckError === null
  );
}
