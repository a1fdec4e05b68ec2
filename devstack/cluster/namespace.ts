// The namespace and the project's search attributes on a cluster, both idempotent.

import { setTimeout as sleep } from 'node:timers/promises';
import { type Connection, isGrpcServiceError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { ensureSearchAttributes } from '../../control/searchAttributes';

const GRPC_ALREADY_EXISTS = 6;
/** How often every service reloads namespaces (system.namespaceCacheRefreshInterval, default 10 s). */
export const NAMESPACE_REFRESH_MS = 10_000;

/** Retries `work` while the cluster is still settling (a namespace not yet loaded, a service not yet joined). */
export async function retryWhileSettling<T>(label: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() > deadline) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`${label}: ${reason}`);
      }
      await sleep(1000);
    }
  }
}

export interface NamespaceReport {
  registered: boolean;
  searchAttributesAdded: string[];
}

/** Registers the namespace when missing and adds the project's search attributes it lacks. */
export async function ensureNamespace(
  connection: Connection,
  namespace: string,
  retentionDays: number,
): Promise<NamespaceReport> {
  let registered = false;
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`),
    });
    registered = true;
  } catch (error) {
    if (!(isGrpcServiceError(error) && error.code === GRPC_ALREADY_EXISTS)) throw error;
  }
  await retryWhileSettling(`namespace ${namespace} is not usable`, () =>
    connection.workflowService.describeNamespace({ namespace }),
  );
  const searchAttributesAdded = await retryWhileSettling(`search attributes of ${namespace}`, () =>
    ensureSearchAttributes(connection, namespace),
  );
  return { registered, searchAttributesAdded };
}

/** After a change, every service has reloaded the namespace (with its search attributes) once this resolves. */
export function waitForNamespaceRefresh(): Promise<void> {
  return sleep(NAMESPACE_REFRESH_MS + 2_000);
}
