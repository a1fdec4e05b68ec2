import { proxyActivities } from '@temporalio/workflow';
import type { createProbeActivities } from './probe-activities';

const { recordProbe } = proxyActivities<ReturnType<typeof createProbeActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 1 },
});

export async function probeWorkflow(label: string): Promise<{ id: number; label: string }> {
  const id = await recordProbe(label);
  return { id, label };
}
