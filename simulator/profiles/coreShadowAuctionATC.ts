// Core shadowAuctionATC as JAO answers it (capture core_shadowAuctionATC_2025-10-01T00Z_2025-10-04T00Z.json): one
// id per hour from the capture's, integer values (0–4,056 MW in the capture), the capture's 38 keys in its order,
// `totalRows` and `totalRowsWithFilter` after `messages`, and windows of 3 days answered.
import { idsFromCapture, keySetOf, type RowFormat } from '../values';
import type { SimulatorProfile } from './profile';

const SHADOW_KEYS = keySetOf([
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
  'border_DE_CZ',
  'border_DE_BE',
  'border_DE_FR',
  'border_DE_NL',
  'border_DE_PL',
  'border_FR_BE',
  'border_FR_DE',
  'border_HU_AT',
  'border_HU_SI',
  'border_HU_SK',
  'border_HU_HR',
  'border_HU_RO',
  'border_HR_HU',
  'border_HR_SI',
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
]);

const HOUR_MS = 3_600_000;

const SHADOW_ROW_FORMAT: RowFormat = {
  // the capture's first row: id 39427 at 2025-10-01T00:00Z
  rowIdAt: idsFromCapture(39_427, Date.UTC(2025, 9, 1), HOUR_MS),
  scale: { min: 0, max: 4_100, slotMs: HOUR_MS },
  numbers: 'integer',
};

export const coreShadowAuctionATCProfile: SimulatorProfile = {
  dataset: 'coreShadowAuctionATC',
  keySetForDay: () => SHADOW_KEYS,
  format: SHADOW_ROW_FORMAT,
  envelopeTail: (rows) => `,"totalRows":${rows},"totalRowsWithFilter":${rows}`,
  maxWindowDays: 3,
};
