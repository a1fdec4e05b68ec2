// A day of any declared dataset, fetched from the simulator over HTTP, judged by its declaration and stored, without
// Temporal: for tests of what reads the stored days (the API, the page).
import type pg from 'pg';
import { writeDay } from '../../db/writeDay';
import { type Dataset, dataPathOf, declarationOf } from '../../domain/datasets';
import { statusOf } from '../../domain/dayStatus';
import type { DeliveryDay } from '../../domain/types';
import { optionsFor, validateDayBody } from '../../domain/validate';
import type { SimulatorHandle } from '../../simulator/server';
import { fetchDay } from '../../source/jaoClient';

export async function storeSimulatedDay(
  pool: pg.Pool,
  simulator: SimulatorHandle,
  dataset: Dataset,
  day: DeliveryDay,
  observedAt: Date,
): Promise<void> {
  const declaration = declarationOf(dataset);
  const outcome = await fetchDay(
    { baseUrl: simulator.origin, timeoutMs: 5_000, path: dataPathOf(declaration) },
    day,
  );
  if (outcome.kind !== 'data') throw new Error(`the simulator gave ${outcome.kind} for ${dataset} ${day}`);
  const validated = validateDayBody(day, outcome.body, optionsFor(declaration, day));
  if (!validated.ok) throw new Error(`${dataset} ${day} failed validation: ${validated.reason}`);
  await writeDay(pool, {
    dataset,
    day,
    status: statusOf(validated.result),
    validated: validated.result,
    expectedMtus: validated.result.expectedMtus,
    rawResponseId: null,
    workflowId: `${dataset}/day/${day}`,
    buildId: 'build-1',
    observedAt,
  });
}
