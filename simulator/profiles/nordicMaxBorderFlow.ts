// Nordic maxBorderFlow as JAO answers it (capture nordic_maxBorderFlow_2026-04-20T00Z_2026-04-22T00Z.json): compact,
// one id per 15 minutes from the capture's, `lastModifiedOn` after `dateTimeUtc` (UTC without a zone), values written
// `263.0000000000` (0–7,537 MW in the capture) that hold for the hour, and Nordic maxExchanges' 62 keys in its order.
import { idsFromCapture, type RowFormat, zonelessJaoInstant } from '../values';
import { NORDIC_KEYS } from './nordicMaxExchanges';
import type { SimulatorProfile } from './profile';

const QUARTER_HOUR_MS = 900_000;
const HOUR_MS = 3_600_000;

const BORDER_FLOW_ROW_FORMAT: RowFormat = {
  // the capture's first row: id 30536 at 2026-04-20T00:00Z
  rowIdAt: idsFromCapture(30_536, Date.UTC(2026, 3, 20), QUARTER_HOUR_MS),
  scale: { min: 0, max: 7_600, slotMs: HOUR_MS },
  numbers: 'decimal10',
};

export const nordicMaxBorderFlowProfile: SimulatorProfile = {
  dataset: 'nordicMaxBorderFlow',
  keySetForDay: () => NORDIC_KEYS,
  format: BORDER_FLOW_ROW_FORMAT,
  leadingMembers: ({ lastModifiedMs }) => `,"lastModifiedOn":"${zonelessJaoInstant(lastModifiedMs)}"`,
};
