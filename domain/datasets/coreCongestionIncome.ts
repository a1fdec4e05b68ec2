// Core congestion income (`congestionIncome`, SHAPES §4.5): per MTU the day-ahead congestion income, gross and net,
// per hub, per TSO, and gross per border. Five key families, hub-, TSO- and border-keyed, in one row; EUR.
import { CORE_ZONES } from '../borders';
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, D1_AFTERNOON } from './shared';

/** TSOs as JAOPuTo's case_match list spells them (Apg, Rte, TennetBv, Transnet: K; the rest I). */
// biome-ignore format: a list
const TSOS = ['Apg', 'Elia', 'Ceps', 'FiftyHertz', 'Amprion', 'TennetGmbh', 'Transnet', 'Rte', 'Hops', 'Mavir', 'TennetBv', 'Pse'] as const;
/** Borders of grossBorder_ (DE_DK1, ES_FR, DK1_NL: K; the others I). */
const BORDERS = ['DE_DK1', 'ES_FR', 'DK1_NL', 'FR_IT'] as const;

export const coreCongestionIncome = {
  ...CORE_DAY_AHEAD,
  id: 'coreCongestionIncome',
  endpoint: 'congestionIncome',
  title: 'JAO Core day-ahead congestion income, EUR per hub, TSO and border and MTU',
  description:
    'Core day-ahead congestion income per MTU, EUR (JAOEU.jl: "Day-ahead congestion rent per border, in EUR"): ' +
    'gross and net per hub (grossHub_/netHub_{HUB}), per TSO (grossTso_/netTso_{TSO}) and gross per border ' +
    '(grossBorder_{FROM}_{TO}); families K (JAOPuTo R/JAOPuTo_Core_congestionincome.R). jao-py counts 60 columns ' +
    'on 2025-03-23 (K); the declared TSOs and borders are partly inferred (I), others arrive as new series. Signed ' +
    'is assumed (a net income may be negative). The fixture is built from these facts, not captured.',
  // Hourly on 2025-03-23 (K); after 2025-10-01 not established, hourly assumed (I).
  resolutions: [{ from: '2022-06-09', minutes: 60 }],
  keyPattern: ['grossHub_{HUB}', 'netHub_{HUB}', 'grossTso_{HUB}', 'netTso_{HUB}', 'grossBorder_{FROM}_{TO}'],
  zones: [...CORE_ZONES, 'DK1', 'ES', 'IT', ...TSOS],
  keys: [
    ...['grossHub_', 'netHub_'].flatMap((family) => CORE_ZONES.map((zone) => `${family}${zone}`)),
    ...['grossTso_', 'netTso_'].flatMap((family) => TSOS.map((tso) => `${family}${tso}`)),
    ...BORDERS.map((border) => `grossBorder_${border}`),
  ],
  valueSign: 'signed',
  publication: { ...D1_AFTERNOON, typical: 'D-1, after the day-ahead coupling results, assumed (I)' },
  unit: 'EUR',
} as const satisfies DatasetDeclaration;
