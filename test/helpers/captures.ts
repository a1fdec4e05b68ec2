// The real JAO answers of each declared dataset (test/fixtures/jao/README.md): the window each was captured for,
// read by the declaration and simulator fidelity tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset, UtcWindow } from '../../domain/types';

export interface Capture {
  file: string;
  /** The request's data path. */
  path: string;
  window: UtcWindow;
}

export const CAPTURES: { readonly [D in Dataset]: Capture } = {
  maxExchanges: {
    file: 'core_maxExchanges_2026-04-20T00Z_2026-04-22T00Z.json',
    path: '/core/api/data/maxExchanges',
    window: { from: '2026-04-20T00:00:00.000Z', to: '2026-04-22T00:00:00.000Z' },
  },
  nordicMaxExchanges: {
    file: 'nordic_maxExchanges_2026-04-20T00Z_2026-04-22T00Z.json',
    path: '/nordic/api/data/maxExchanges',
    window: { from: '2026-04-20T00:00:00.000Z', to: '2026-04-22T00:00:00.000Z' },
  },
  coreShadowAuctionATC: {
    file: 'core_shadowAuctionATC_2025-10-01T00Z_2025-10-04T00Z.json',
    path: '/core/api/data/shadowAuctionATC',
    window: { from: '2025-10-01T00:00:00.000Z', to: '2025-10-04T00:00:00.000Z' },
  },
  coreScheduledExchanges: {
    file: 'core_scheduledExchanges_2026-04-20T00Z_2026-04-22T00Z.json',
    path: '/core/api/data/scheduledExchanges',
    window: { from: '2026-04-20T00:00:00.000Z', to: '2026-04-22T00:00:00.000Z' },
  },
  coreAtc: {
    file: 'core_atc_2026-04-20T00Z_2026-04-22T00Z.json',
    path: '/core/api/data/atc',
    window: { from: '2026-04-20T00:00:00.000Z', to: '2026-04-22T00:00:00.000Z' },
  },
  nordicMaxBorderFlow: {
    file: 'nordic_maxBorderFlow_2026-04-20T00Z_2026-04-22T00Z.json',
    path: '/nordic/api/data/maxBorderFlow',
    window: { from: '2026-04-20T00:00:00.000Z', to: '2026-04-22T00:00:00.000Z' },
  },
};

export function captureText(dataset: Dataset): string {
  return readFileSync(join(__dirname, '..', 'fixtures', 'jao', CAPTURES[dataset].file), 'utf8');
}

/**
 * The answer's text with whitespace removed (the captures were re-indented; JAO's strings hold none) and every
 * run of digits written `9`: what is left is the envelope, the field order, how numbers and instants are written.
 */
export function answerSkeleton(text: string): string {
  return text.replace(/\s+/g, '').replace(/\d+/g, '9');
}
