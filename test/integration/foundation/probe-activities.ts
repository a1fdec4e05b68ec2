import { Context } from '@temporalio/activity';
import type pg from 'pg';

export function createProbeActivities(pool: pg.Pool) {
  return {
    async recordProbe(label: string): Promise<number> {
      const workflowId = Context.current().info.workflowExecution?.workflowId ?? 'unknown';
      const result = await pool.query<{ id: number }>(
        'INSERT INTO foundation_probe (label, workflow_id) VALUES ($1, $2) RETURNING id',
        [label, workflowId],
      );
      return result.rows[0]!.id;
    },
  };
}
