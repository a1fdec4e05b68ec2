// Bounds that keep one absurd JAO answer from costing more than a normal day: what validation accepts and
// how much of its refusals is stored. Every bound here is far above anything JAO has published.

/** Longest border key read as a key; longer ones are refused (`key_too_long`) before anything else looks at them. */
export const MAX_KEY_LENGTH = 64;

/** Longest bidding-zone code in a key (`border_{FROM}_{TO}`): real codes are 2–6 characters (DE, SE3SWL). */
export const MAX_ZONE_CODE_LENGTH = 10;

/** Longest hub name in a key (`hub_{HUB}`): real names are 2–13 characters (AT, NL_NO2_NorNed). */
export const MAX_HUB_NAME_LENGTH = 40;

/**
 * Keys a day may add to its dataset's catalog. A real key-set change adds a zone or two (2·n keys per zone:
 * 24 for a thirteenth Core zone), and a dataset's first day brings its whole set (Core 132, Nordic 62). A day
 * bringing more new keys than this is a broken answer, not a new key set: all its new keys are refused
 * (`too_many_keys`) and its known keys are kept, so junk never enters jao.series.
 */
export const MAX_NEW_KEYS_PER_DAY = 500;

/**
 * Rejections stored in jao.rejection per validated answer (the first ones, in validation order). The rest are
 * only counted (jao.delivery_day.rejected_values): an answer with 10,000 bad keys or 100,000 bad cells must
 * not write hundreds of thousands of rows. One constant for every writer of jao.rejection.
 */
export const MAX_STORED_REJECTIONS = 1_000;

/** Unknown row fields recorded per day (sorted, each cut to MAX_KEY_LENGTH characters). */
export const MAX_UNKNOWN_FIELDS = 50;
