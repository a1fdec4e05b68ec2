// A Temporal namespace of a test file's own on the run's shared dev server: workflow ids are unique per
// namespace, so a file that needs the days every poll touches (today, tomorrow) cannot collide with another.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { inject } from 'vitest';
import { SEARCH_ATTRIBUTES } from '../../common/searchAttributes';
import { ensureSearchAttributes } from '../../control/searchAttributes';
import './context';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Registers `test-<label>-<random>` with the project's search attributes; resolves once it takes workflows. */
export async function createTestNamespace(label: string, timeoutMs = 30_000): Promise<string> {
  const namespace = `test-${label}-${randomBytes(3).toString('hex')}`;
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    const client = new Client({ connection, namespace });
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await ensureSearchAttributes(connection, namespace);
        const known = await connection.operatorService.listSearchAttributes({ namespace });
        const names = Object.keys(known.customAttributes ?? {});
        if (SEARCH_ATTRIBUTES.every((attribute) => names.includes(attribute.name))) {
          await client.workflow.count();
          return namespace;
        }
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`namespace ${namespace} not usable after ${timeoutMs} ms`);
      await sleep(Math.min(250, 50 * 2 ** attempt));
    }
  } finally {
    await connection.close();
  }
}
