// Nordic maxBorderFlow as JAO answers it (capture nordic_maxBorderFlow_2026-04-20T00Z_2026-04-22T00Z.json): compact,
// one id per 15 minutes in a block per delivery day, `lastModifiedOn` after `dateTimeUtc` (UTC without a zone), values written
// `263.0000000000` (0–7,537 MW in the capture) that hold for the hour, and Nordic maxExchanges' 62 keys in its order.
import { idsByDeliveryDay, NORDIC_DAY_ID_BLOCK, type RowFormat, zonelessJaoInstant } from '../values';
import { NORDIC_KEYS } from './nordicMaxExchanges';
import type { SimulatorProfile } from './profile';

const QUARTER_HOUR_MS = 900_000;
const HOUR_MS = 3_600_000;

const BORDER_FLOW_ROW_FORMAT: RowFormat = {
  // the captured day's first row: id 30624 at 2026-04-20T22:00Z
  rowIdAt: idsByDeliveryDay('2026-04-21', 30_624, QUARTER_HOUR_MS, NORDIC_DAY_ID_BLOCK),
  scale: { min: 0, max: 7_600, slotMs: HOUR_MS },
  numbers: 'decimal10',
};

export const nordicMaxBorderFlowProfile: SimulatorProfile = {
  dataset: 'nordicMaxBorderFlow',
  keySetForDay: () => NORDIC_KEYS,
  format: BORDER_FLOW_ROW_FORMAT,
  leadingMembers: ({ lastModifiedMs }) => `,"lastModifiedOn":"${zonelessJaoInstant(lastModifiedMs)}"`,
};
