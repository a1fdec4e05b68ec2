// Core atc as JAO answers it (capture core_atc_2026-04-20T00Z_2026-04-22T00Z.json): indented by two spaces, one id
// per 15 minutes from the capture's, integer values (0–3,561 MW in the capture) that hold for the hour, the
// capture's 14 keys in its order, and the four Italian borders null in every row (declared published empty).
import { declarationOf, publishedEmptyKeysOf } from '../../domain/datasets';
import { idsFromCapture, keySetOf, type RowFormat } from '../values';
import type { SimulatorProfile } from './profile';

const ATC_KEYS = keySetOf(
  [
    'border_DE_DK1',
    'border_DK1_DE',
    'border_ES_FR',
    'border_FR_ES',
    'border_FR_IT',
    'border_AT_IT',
    'border_IT_AT',
    'border_IT_FR',
    'border_RO_BG',
    'border_BG_RO',
    'border_ALBE_ALDE',
    'border_ALDE_ALBE',
    'border_DK1_NL',
    'border_NL_DK1',
  ],
  publishedEmptyKeysOf(declarationOf('coreAtc')),
);

const QUARTER_HOUR_MS = 900_000;
const HOUR_MS = 3_600_000;

const ATC_ROW_FORMAT: RowFormat = {
  // the capture's first row: id 77374 at 2026-04-20T00:00Z
  rowIdAt: idsFromCapture(77_374, Date.UTC(2026, 3, 20), QUARTER_HOUR_MS),
  scale: { min: 0, max: 3_600, slotMs: HOUR_MS },
  numbers: 'integer',
};

export const coreAtcProfile: SimulatorProfile = {
  dataset: 'coreAtc',
  keySetForDay: () => ATC_KEYS,
  format: ATC_ROW_FORMAT,
  layout: 'indented',
};
