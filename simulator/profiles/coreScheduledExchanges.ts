// Core scheduledExchanges as JAO answers it (capture core_scheduledExchanges_2026-04-20T00Z_2026-04-22T00Z.json):
// compact, one id per 15 minutes from the capture's, values written `1288.0000000000` (0–5,285 MW in the capture,
// each quarter-hour its own), and the capture's 46 keys in its order.
import { idsFromCapture, keySetOf, type RowFormat } from '../values';
import type { SimulatorProfile } from './profile';

const SCHEDULED_KEYS = keySetOf([
  'border_AT_CZ',
  'border_AT_DE',
  'border_AT_HU',
  'border_AT_SI',
  'border_BE_DE',
  'border_BE_FR',
  'border_BE_NL',
  'border_CZ_AT',
  'border_CZ_DE',
  'border_CZ_PL',
  'border_CZ_SK',
  'border_DE_AT',
  'border_DE_BE',
  'border_DE_CZ',
  'border_DE_FR',
  'border_DE_NL',
  'border_DE_PL',
  'border_FR_BE',
  'border_FR_DE',
  'border_HR_HU',
  'border_HR_SI',
  'border_HU_AT',
  'border_HU_HR',
  'border_HU_RO',
  'border_HU_SI',
  'border_HU_SK',
  'border_NL_BE',
  'border_NL_DE',
  'border_PL_CZ',
  'border_PL_DE',
  'border_PL_SK',
  'border_RO_HU',
  'border_SI_AT',
  'border_SI_HR',
  'border_SI_HU',
  'border_SK_CZ',
  'border_SK_HU',
  'border_SK_PL',
  'border_FR_ES',
  'border_ES_FR',
  'border_DK1_DE',
  'border_DE_DK1',
  'border_DK1_NL',
  'border_NL_DK1',
  'border_DE_DK2',
  'border_DK2_DE',
]);

const QUARTER_HOUR_MS = 900_000;

const SCHEDULED_ROW_FORMAT: RowFormat = {
  // the capture's first row: id 78201 at 2026-04-20T00:00Z
  rowIdAt: idsFromCapture(78_201, Date.UTC(2026, 3, 20), QUARTER_HOUR_MS),
  scale: { min: 0, max: 5_300, slotMs: QUARTER_HOUR_MS },
  numbers: 'decimal10',
};

export const coreScheduledExchangesProfile: SimulatorProfile = {
  dataset: 'coreScheduledExchanges',
  keySetForDay: () => SCHEDULED_KEYS,
  format: SCHEDULED_ROW_FORMAT,
};
