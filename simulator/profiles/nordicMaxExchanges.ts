// Nordic maxExchanges as JAO answers it (capture nordic_maxExchanges_2026-04-20T00Z_2026-04-22T00Z.compact.json):
// compact, one id per 15 minutes in a block per delivery day, values `472.0000000000` (0–7,608 MW in the capture)
// that hold for the hour, `lastModifiedOn` after `dateTimeUtc` (UTC without a zone: docs/datasets.md), and the
// capture's 62 keys in its order.
import {
  idsByDeliveryDay,
  keySetOf,
  NORDIC_DAY_ID_BLOCK,
  type RowFormat,
  zonelessJaoInstant,
} from '../values';
import type { SimulatorProfile } from './profile';

/** The capture's 62 keys in its order; Nordic maxBorderFlow answers the same. */
export const NORDIC_KEYS = keySetOf([
  'border_NO4_SE1',
  'border_NO4_FI',
  'border_NO4_SE2',
  'border_NO4_NO3',
  'border_SE1_SE2',
  'border_NO3_SE2',
  'border_NO3_NO1',
  'border_SE2_SE3',
  'border_NO5_NO1',
  'border_NO1_SE3',
  'border_NO5_NO2',
  'border_NO1_NO2',
  'border_DK2_SE4',
  'border_SE3_SE4',
  'border_SE1_FI',
  'border_NO3_NO5',
  'border_SE1_NO4',
  'border_FI_NO4',
  'border_SE2_NO4',
  'border_NO3_NO4',
  'border_SE2_SE1',
  'border_SE2_NO3',
  'border_NO1_NO3',
  'border_SE3_SE2',
  'border_NO1_NO5',
  'border_SE3_NO1',
  'border_NO2_NO5',
  'border_NO2_NO1',
  'border_SE4_DK2',
  'border_SE4_SE3',
  'border_FI_SE1',
  'border_NO5_NO3',
  'border_SE3_FI',
  'border_NO2_DK1',
  'border_DK1_SE3',
  'border_DK1_DK2',
  'border_FI_SE3',
  'border_DK1_NO2',
  'border_SE3_DK1',
  'border_DK2_DK1',
  'border_NL_DK1',
  'border_DE_DK1',
  'border_DE_DK2',
  'border_NL_NO2',
  'border_DE_NO2',
  'border_DE_SE4',
  'border_LT_SE4',
  'border_PL_SE4',
  'border_EE_FI',
  'border_DK1_NL',
  'border_DK1_DE',
  'border_DK2_DE',
  'border_NO2_NL',
  'border_NO2_DE',
  'border_SE4_DE',
  'border_SE4_LT',
  'border_SE4_PL',
  'border_FI_EE',
  'border_SE3SWL_SE4',
  'border_SE4SWL_SE3',
  'border_SE4_SE3SWL',
  'border_SE3_SE4SWL',
]);

const QUARTER_HOUR_MS = 900_000;
const HOUR_MS = 3_600_000;

const NORDIC_ROW_FORMAT: RowFormat = {
  // the captured day's first row: id 30528 at 2026-04-20T22:00Z
  rowIdAt: idsByDeliveryDay('2026-04-21', 30_528, QUARTER_HOUR_MS, NORDIC_DAY_ID_BLOCK),
  scale: { min: 0, max: 7_600, slotMs: HOUR_MS },
  numbers: 'decimal10',
};

export const nordicMaxExchangesProfile: SimulatorProfile = {
  dataset: 'nordicMaxExchanges',
  keySetForDay: () => NORDIC_KEYS,
  format: NORDIC_ROW_FORMAT,
  leadingMembers: ({ lastModifiedMs }) => `,"lastModifiedOn":"${zonelessJaoInstant(lastModifiedMs)}"`,
};
