// Core intraday (`coreID`, SHAPES §3.6): per IDCC window (a–d) the maximum bilateral exchanges and the intraday ATC
// JAO publishes, on paths `IDCC{X}_maxExchanges` and `IDCC{X}_intradayAtc`. One declaration factory per publication,
// as coreFlowBasedDomain.ts does for stages; one dataset per window and publication.
import { CORE_LTA_PAIRS, CORE_LTA_ZONES, pairKeys } from './coreKeySets';
import type { DatasetDeclaration } from './declaration';

/**
 * When a window's day is due (domain/freshnessDeadline.ts), assumed (I): (a) and (b) are computed on the evening of
 * D-1 (IDCC(b)'s domain of 2025-01-01 holds 22 of its 24 hours, from its second hour), (c) and (d) on D itself, for
 * the hours still ahead of them.
 */
export const IDCC_DEADLINES = { A: '23:30', B: '23:59', C: 'D 12:00', D: 'D 20:00' } as const;

/** The windows computed on D are looked for on D, before their deadline (domain/publicationWindow.ts). */
export const IDCC_WINDOWS_ON_THE_DAY: Partial<Record<'A' | 'B' | 'C' | 'D', string>> = {
  C: 'D 08:00-12:00',
  D: 'D 16:00-20:00',
};

/** The IDCC windows and their go-live (K: jao-py README; IDCC(d) "to prod" 2026-04-28, first day U). */
const WINDOWS = {
  A: { firstDay: '2024-06-14', source: 'IDCC(a) go-live 2024-06-14 (K: jao-py README)' },
  B: { firstDay: '2024-05-29', source: 'IDCC(b) go-live 2024-05-29 (K: jao-py README)' },
  C: { firstDay: '2025-06-25', source: 'IDCC(c) go-live 2025-06-25 (K: jao-py README)' },
  D: {
    firstDay: '2026-04-28',
    source: 'IDCC(d) to production per jao-py commit e5496b9, 2026-04-28; first day U',
  },
} as const;
type Letter = keyof typeof WINDOWS;

interface Publication<Id extends string, Endpoint extends string> {
  id: Id;
  endpoint: Endpoint;
  letter: Letter;
  title: string;
  what: string;
}

function intraday<Id extends string, Endpoint extends string>({
  id,
  endpoint,
  letter,
  title,
  what,
}: Publication<Id, Endpoint>) {
  const window = WINDOWS[letter];
  return {
    id,
    region: 'coreID',
    endpoint,
    title,
    description:
      `Core intraday capacity calculation, window IDCC(${letter.toLowerCase()}): ${what} Row: id, dateTimeUtc, then ` +
      'border_{FROM}_{TO} (K for maxExchanges: JAOPuTo R/JAOPuTo_CoreID_IDCCb_maxexchanges.R; I for intradayAtc, ' +
      'from jao-py stripping a border_ prefix). Path letter upper case as jao-py and JAOPuTo write it (JAOEU.jl ' +
      'writes IDCCa_). The border set is not established (U): the 38 Core pairs of activeLtaConstraint are assumed ' +
      '(I). The fixture is built from these facts, not captured.',
    timeZone: 'Europe/Amsterdam',
    firstDay: window.firstDay,
    firstDayName: `IDCC(${letter.toLowerCase()}) go-live`,
    firstDaySource: window.source,
    // Not established (U); the IDCC(b) domain is hourly on 2025-01-01 (K), so hourly is assumed throughout (I).
    resolutions: [{ from: window.firstDay, minutes: 60 }],
    rowKind: 'keyedValues',
    keyPattern: 'border_{FROM}_{TO}',
    zones: CORE_LTA_ZONES,
    keys: pairKeys('border_', CORE_LTA_PAIRS),
    valueSign: 'nonNegative',
    extraRowFields: [],
    envelopeFields: [],
    publication: {
      window: IDCC_WINDOWS_ON_THE_DAY[letter] ?? '18:00-24:00',
      deadline: IDCC_DEADLINES[letter],
      typical:
        'assumed (I): the windows publish from the evening of D-1 (a, b) into D itself (c, d), looked for and due ' +
        'on D',
    },
    unit: 'MW',
  } as const satisfies DatasetDeclaration;
}

const MAX_EXCHANGES =
  'the largest exchange possible across each border within the intraday flow-based domain, per MTU.';
const INTRADAY_ATC = 'the intraday ATC offered to the continuous intraday market per border, per MTU.';

export const coreIdccAMaxExchanges = intraday({
  id: 'coreIdccAMaxExchanges',
  endpoint: 'IDCCA_maxExchanges',
  letter: 'A',
  title: 'JAO Core intraday IDCC(a) maximum bilateral exchanges, MW per border and MTU',
  what: MAX_EXCHANGES,
});
export const coreIdccBMaxExchanges = intraday({
  id: 'coreIdccBMaxExchanges',
  endpoint: 'IDCCB_maxExchanges',
  letter: 'B',
  title: 'JAO Core intraday IDCC(b) maximum bilateral exchanges, MW per border and MTU',
  what: MAX_EXCHANGES,
});
export const coreIdccCMaxExchanges = intraday({
  id: 'coreIdccCMaxExchanges',
  endpoint: 'IDCCC_maxExchanges',
  letter: 'C',
  title: 'JAO Core intraday IDCC(c) maximum bilateral exchanges, MW per border and MTU',
  what: MAX_EXCHANGES,
});
export const coreIdccDMaxExchanges = intraday({
  id: 'coreIdccDMaxExchanges',
  endpoint: 'IDCCD_maxExchanges',
  letter: 'D',
  title: 'JAO Core intraday IDCC(d) maximum bilateral exchanges, MW per border and MTU',
  what: MAX_EXCHANGES,
});
export const coreIdccAIntradayAtc = intraday({
  id: 'coreIdccAIntradayAtc',
  endpoint: 'IDCCA_intradayAtc',
  letter: 'A',
  title: 'JAO Core intraday IDCC(a) intraday ATC, MW per border and MTU',
  what: INTRADAY_ATC,
});
export const coreIdccBIntradayAtc = intraday({
  id: 'coreIdccBIntradayAtc',
  endpoint: 'IDCCB_intradayAtc',
  letter: 'B',
  title: 'JAO Core intraday IDCC(b) intraday ATC, MW per border and MTU',
  what: INTRADAY_ATC,
});
