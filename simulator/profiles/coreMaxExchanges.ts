// Core maxExchanges as JAO answers it (capture core_maxExchanges_2026-04-20T00Z_2026-04-22T00Z.compact.json): ids one per
// hour, values `4346.0000000000`, the 132 Core keys and about 150 from the key-set change day.
import { CORE_ROW_FORMAT, keySetForDay } from '../values';
import type { SimulatorProfile } from './profile';

export const coreMaxExchangesProfile: SimulatorProfile = {
  dataset: 'maxExchanges',
  keySetForDay,
  format: CORE_ROW_FORMAT,
};
