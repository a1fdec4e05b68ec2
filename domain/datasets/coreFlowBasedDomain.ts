// Core's presolved flow-based domain (docs/flow-based.md): one row per constraint (CNEC) and hourly MTU, with its
// margins and its PTDF per hub, in three stages of the day-ahead capacity calculation that share one schema.
import { CORE_PTDF_HUBS } from '../flowBased/fields';
import type { DatasetDeclaration } from './declaration';
import { AHC_PTDF_HUBS, CORE_DAY_AHEAD, D1_MORNING, PAGED_CONSTRAINTS } from './shared';

interface Stage<Id extends string, Endpoint extends string> {
  id: Id;
  endpoint: Endpoint;
  title: string;
  stage: string;
  /** The monitoring step that announces the stage (docs/monitoring.md). */
  step: string;
}

function flowBasedDomain<Id extends string, Endpoint extends string>(p: Stage<Id, Endpoint>) {
  return {
    ...CORE_DAY_AHEAD,
    ...PAGED_CONSTRAINTS,
    id: p.id,
    endpoint: p.endpoint,
    title: p.title,
    description:
      `Core's flow-based domain of the day-ahead market, ${p.stage}: per hour, the presolved critical network ` +
      'elements and contingencies (CNECs) with every margin JAO publishes (RAM, Fmax, FRM, Fref, F0, FUAF, AMR, ' +
      'LTA margin, CVA, IVA, min RAM factor and target, Imax, U) and their zone-to-slack PTDF per hub; fetched ' +
      'page by page after a count probe, filtered on presolved constraints.',
    firstDaySource:
      'Core flow-based market coupling went live for delivery day 2022-06-09; the Publication Tool has no Core ' +
      'domain before it.',
    // The domain stays hourly after the market's 15-minute MTU (2025-10-01) in every public client's capture.
    resolutions: [{ from: '2022-06-09', minutes: 60 }],
    zones: CORE_PTDF_HUBS,
    addedZones: [AHC_PTDF_HUBS],
    publication: { ...D1_MORNING, typical: 'D-1, with MaxBEX before the day-ahead gate closure, assumed' },
    monitoring: {
      steps: [p.step],
      source:
        'Step names K (JAOEU.jl tutorial; jao-py parsers, monitoring rows); that each names the domain stage of ' +
        'the same name is inferred from the names. Assumption, see docs/monitoring.md.',
    },
  } as const satisfies DatasetDeclaration;
}

export const coreFinalComputation = flowBasedDomain({
  id: 'coreFinalComputation',
  endpoint: 'finalComputation',
  title: 'JAO Core flow-based domain, final computation: presolved CNECs with RAM and PTDFs per hourly MTU',
  stage: 'final computation (the domain the market coupling cleared against)',
  step: 'Final Computation',
});

export const corePreFinalComputation = flowBasedDomain({
  id: 'corePreFinalComputation',
  endpoint: 'preFinalComputation',
  title:
    'JAO Core flow-based domain, pre-final computation: presolved CNECs with RAM and PTDFs per hourly MTU',
  stage: 'pre-final computation (before the TSOs’ final validation)',
  step: 'Pre-Final Computation',
});

export const coreInitialComputation = flowBasedDomain({
  id: 'coreInitialComputation',
  endpoint: 'initialComputation',
  title: 'JAO Core flow-based domain, initial computation: presolved CNECs with RAM and PTDFs per hourly MTU',
  stage: 'initial computation (the first domain of the day)',
  step: 'Initial Computation (Virgin Domain)',
});
