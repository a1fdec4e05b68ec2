import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { connectTemporal, type TemporalTestContext, uniqueTaskQueue } from '../helpers/temporal';
import { createProbeActivities } from './foundation/probe-activities';
import { probeWorkflow } from './foundation/probe-workflow';

describe('foundation: real Temporal dev server and real PostgreSQL', () => {
  let db: TestDatabase;
  let temporal: TemporalTestContext;

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTemporal();
    await db.pool.query(
      'CREATE TABLE foundation_probe (id serial PRIMARY KEY, label text NOT NULL, workflow_id text NOT NULL)',
    );
  });

  afterAll(async () => {
    await temporal?.close();
    await db?.release();
  });

  it('runs a workflow whose activity writes a row the test reads back', async () => {
    const taskQueue = uniqueTaskQueue('foundation');
    const worker = await Worker.create({
      connection: temporal.workerConnection,
      namespace: temporal.namespace,
      taskQueue,
      workflowsPath: join(__dirname, 'foundation', 'probe-workflow.ts'),
      activities: createProbeActivities(db.pool),
    });
    const label = `probe-${randomUUID()}`;
    const workflowId = `foundation-${randomUUID()}`;

    const result = await worker.runUntil(
      temporal.client.workflow.execute(probeWorkflow, {
        taskQueue,
        workflowId,
        args: [label],
        workflowExecutionTimeout: '60 seconds',
      }),
    );

    const rows = await db.pool.query<{ id: number; label: string; workflow_id: string }>(
      'SELECT id, label, workflow_id FROM foundation_probe',
    );
    expect(rows.rows).toEqual([{ id: result.id, label, workflow_id: workflowId }]);
    expect(result).toEqual({ id: rows.rows[0]!.id, label });
  });

  it('registers the Dataset and DeliveryDay search attributes on the dev server', async () => {
    const response = await temporal.connection.operatorService.listSearchAttributes({
      namespace: temporal.namespace,
    });
    expect(Object.keys(response.customAttributes ?? {})).toEqual(
      expect.arrayContaining(['Dataset', 'DeliveryDay']),
    );
  });
});
