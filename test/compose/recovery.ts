// Scenario 3 of the compose test: the worker container's process is killed with SIGKILL in the middle of a
// backfill, as the kernel's OOM killer would. The restart policy (`restart: unless-stopped`) brings the container
// back, Temporal retries what the killed worker held, and every day ends exact, nothing stored twice.
import { backfill, MINUTES, pastRange, waitUntilMidway } from './backfills';
import { setSimulatorLatency, waitFor } from './checks';
import { inspectContainer } from './containers';
import { completeDays, inexactDays } from './database';
import type { ComposeStack } from './stack';

/** Each answer of the simulator takes this long during the scenario, so the backfill is surely midway. */
const LATENCY_MS = 3_000;

export async function workerKilledMidBackfill(
  stack: ComposeStack,
  log: (line: string) => void,
): Promise<void> {
  const range = pastRange(40, 12);
  const simulator = (path: string) => stack.url('HOST_PORT_SIMULATOR', path);
  await setSimulatorLatency(simulator, LATENCY_MS);
  try {
    await backfill(stack, range, { wait: false, concurrency: 2 });
    await waitUntilMidway(stack, range);

    const id = (await stack.composeChecked(['ps', '--quiet', 'worker'])).trim();
    if (id === '') throw new Error('no worker container runs');
    const before = await inspectContainer(stack.engine, id);
    if (!before.State.Running || before.State.Pid <= 0) throw new Error(`the worker container does not run`);
    // From the host, as the OOM killer does: the engine did not stop it, so the restart policy applies
    // (`docker kill` would count as stopped by the user).
    process.kill(before.State.Pid, 'SIGKILL');
    // counted at once: the restarted worker needs longer than this to complete another day
    const atKill = await completeDays(stack, range.from, range.to);
    if (atKill >= range.days) throw new Error('the backfill had ended before the worker was killed');
    log(
      `SIGKILL to the worker's process (pid ${before.State.Pid}) with ${atKill} of ${range.days} days complete`,
    );

    const after = await waitFor(
      'the restart policy brings the worker back',
      3 * MINUTES,
      async () => {
        const state = await inspectContainer(stack.engine, id);
        const restarted = state.State.Running && state.State.StartedAt !== before.State.StartedAt;
        return restarted ? state : undefined;
      },
      1_000,
    );
    log(
      `the worker runs again (restart count ${before.RestartCount} → ${after.RestartCount}, pid ${after.State.Pid})`,
    );
  } finally {
    await setSimulatorLatency(simulator, 0);
  }

  // attaches to the backfill that runs and waits for its end
  await backfill(stack, range, { wait: true });
  const inexact = await inexactDays(stack, range.from, range.to);
  if (inexact.length > 0) throw new Error(`days not exact after the kill:\n${inexact.join('\n')}`);
  log(`all ${range.days} days ${range.from}..${range.to} complete, one revision each, no value stored twice`);
}
