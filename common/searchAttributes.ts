import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Keyword search attributes set on every day workflow, so the Web UI can filter by dataset and day. */
export const DATASET_ATTRIBUTE = defineSearchAttributeKey('Dataset', SearchAttributeType.KEYWORD);
export const DELIVERY_DAY_ATTRIBUTE = defineSearchAttributeKey('DeliveryDay', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [DATASET_ATTRIBUTE, DELIVERY_DAY_ATTRIBUTE];
