import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Keyword search attributes set on every day workflow, so the Web UI can filter by dataset and day. */
export const DATASET_ATTRIBUTE = defineSearchAttributeKey('Dataset', SearchAttributeType.KEYWORD);
export const DELIVERY_DAY_ATTRIBUTE = defineSearchAttributeKey('DeliveryDay', SearchAttributeType.KEYWORD);
/**
 * The day's status: `running` from the run's start, then its final status (complete, partial, not_published,
 * invalid, failed): `DayStatus != "complete"`.
 */
export const DAY_STATUS_ATTRIBUTE = defineSearchAttributeKey('DayStatus', SearchAttributeType.KEYWORD);
export const DAY_RUNNING = 'running';
/** Days of a backfill or poll run that did not end complete so far: `NotCompleteDays > 0`. */
export const NOT_COMPLETE_DAYS_ATTRIBUTE = defineSearchAttributeKey(
  'NotCompleteDays',
  SearchAttributeType.INT,
);

export const SEARCH_ATTRIBUTES = [
  DATASET_ATTRIBUTE,
  DELIVERY_DAY_ATTRIBUTE,
  DAY_STATUS_ATTRIBUTE,
  NOT_COMPLETE_DAYS_ATTRIBUTE,
];
