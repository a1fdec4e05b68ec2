// Core's intraday flow-based domains (docs/constraints.md): the final domain of each intraday capacity calculation
// window IDCC(a)…(d), region `coreID`, path `/coreID/api/data/IDCC{x}_finalComputation`. Core's domain schema with
// `uva` where the day-ahead domain has `cva`; one declaration per window, as coreFlowBasedDomain.ts has per stage.
import { AHC_FIRST_DAY, CORE_PTDF_HUBS } from '../flowBased/fields';
import { IDCC_DEADLINES, IDCC_FIRST_DAYS, IDCC_WINDOWS_ON_THE_DAY, type IdccLetter } from './coreIntraday';
import type { DatasetDeclaration } from './declaration';
import { AHC_PTDF_HUBS, PAGED_CONSTRAINTS } from './shared';

function intradayDomain<Letter extends IdccLetter>(letter: Letter) {
  const firstDay = IDCC_FIRST_DAYS[letter];
  return {
    ...PAGED_CONSTRAINTS,
    id: `coreIdcc${letter}FinalComputation`,
    region: 'coreID',
    endpoint: `IDCC${letter}_finalComputation`,
    title: `JAO Core intraday flow-based domain IDCC(${letter.toLowerCase()}), final: presolved CNECs with RAM and PTDFs per hourly MTU`,
    description:
      `Core's intraday capacity calculation, window IDCC(${letter.toLowerCase()}): per hour of the MTUs the ` +
      'window computes, the presolved CNECs with the margins JAO publishes (RAM, Imax, U, Fmax, FRM, Fref, F0 ' +
      'Core, F0 all, FUAF, UVA, IVA) and their zone-to-slack PTDF per hub; fetched page by page after a count ' +
      'probe, filtered on presolved constraints.',
    timeZone: 'Europe/Amsterdam',
    firstDay,
    firstDayName: `IDCC(${letter.toLowerCase()}) go-live`,
    firstDaySource:
      letter === 'D'
        ? 'IDCC(d) moved to production on 2026-04-28 (a jao-py commit of that day); its first published day is ' +
          'not established.'
        : `IDCC(${letter.toLowerCase()}) went live on ${firstDay}: jao-py README (IDCC go-live dates); not checked ` +
          'against JAO itself.',
    resolutions: [{ from: firstDay, minutes: 60 }],
    // A capture of IDCC(b) (2025-01-01) has Core's 14 hubs without CH.
    zones: CORE_PTDF_HUBS.filter((hub) => hub !== 'CH'),
    addedZones: firstDay < AHC_FIRST_DAY ? [AHC_PTDF_HUBS] : undefined,
    // As the window's max exchanges: (c) and (d) are looked for and due on the delivery day itself.
    publication: {
      window: IDCC_WINDOWS_ON_THE_DAY[letter] ?? '22:00-23:00',
      deadline: IDCC_DEADLINES[letter],
      typical: `IDCC(${letter.toLowerCase()}) is computed in the window’s own run, D-1 evening to D; assumed`,
    },
    constraintFields: {
      filter: { Presolved: true },
      presolvedFlag: 'presolved',
      ptdfPrefix: 'ptdf_',
      contingency: { form: 'list' },
      renames: { uva: 'cva' },
      // Fields of the day-ahead schema no public client reads on coreID: if JAO sends them, they are kept in
      // `extra` and reported as unknown fields (drift), never lost.
      // biome-ignore format: a table of names
      absent: [
        'minRamTarget', 'minRamFactor', 'frefInit', 'fnrao', 'amr', 'ltaMargin', 'ftotalLtn', 'fltn',
        'cneStatus', 'justification',
      ],
      extra: {},
      // A window computes the MTUs still ahead of it: IDCC(b) has 22 of 2025-01-01's 24 hours. A complete day is
      // every announced row stored, not every MTU covered.
      everyMtuHasRows: false,
      // 111 presolved rows in an hour of 2026-01-01's Core domain; IDCC(b) 2025-01-01: 3,596 rows over 22 hours.
      rowsPerMtu: 160,
    },
  } as const satisfies DatasetDeclaration;
}

export const coreIdccAFinalComputation = intradayDomain('A');
export const coreIdccBFinalComputation = intradayDomain('B');
export const coreIdccCFinalComputation = intradayDomain('C');
export const coreIdccDFinalComputation = intradayDomain('D');
