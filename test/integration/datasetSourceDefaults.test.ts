// What jao.dataset_source says of maxExchanges in a freshly migrated database: the default settings' title,
// endpoint, window, deadline and schedule sentence, recorded by no worker, until a worker records its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDatasetSource } from '../../db/datasetSource';
import {
  DATASET_TITLES,
  defaultPublicationSettings,
  describePublicationSchedule,
  sourceEndpointOf,
} from '../../domain/datasetSource';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.release();
});

const sourceRows = async () =>
  (
    await db.pool.query(
      `SELECT dataset, title, endpoint, publication_window, freshness_deadline, publication_schedule, recorded_by
         FROM jao.dataset_source ORDER BY dataset`,
    )
  ).rows;

describe('the source and schedule the catalogue names', () => {
  it('holds the default settings and their sentence after the migrations until a worker records its own', async () => {
    const defaults = {
      dataset: 'maxExchanges',
      title: DATASET_TITLES.maxExchanges,
      endpoint: sourceEndpointOf('https://publicationtool.jao.eu', 'maxExchanges'),
      publication_window: defaultPublicationSettings('maxExchanges').window,
      freshness_deadline: defaultPublicationSettings('maxExchanges').deadline,
      publication_schedule: describePublicationSchedule(defaultPublicationSettings('maxExchanges')),
      recorded_by: null,
    };
    expect(await sourceRows()).toEqual([defaults]);

    const own = { ...defaultPublicationSettings('maxExchanges'), window: '07:00-10:30', lookbackDays: 5 };
    await recordDatasetSource(db.pool, {
      dataset: 'maxExchanges',
      title: DATASET_TITLES.maxExchanges,
      endpoint: sourceEndpointOf('http://127.0.0.1:8080', 'maxExchanges'),
      publicationWindow: own.window,
      freshnessDeadline: own.deadline,
      publicationSchedule: describePublicationSchedule(own),
      recordedBy: 'test-build',
    });
    expect(await sourceRows()).toEqual([
      {
        ...defaults,
        endpoint: sourceEndpointOf('http://127.0.0.1:8080', 'maxExchanges'),
        publication_window: '07:00-10:30',
        publication_schedule: describePublicationSchedule(own),
        recorded_by: 'test-build',
      },
    ]);
  });
});
