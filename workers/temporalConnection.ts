// The worker's connection to Temporal: the same settings, TLS material and failure lines as every client's
// (common/temporalConnect.ts), on the SDK's native connection that the workers poll through.
import { NativeConnection } from '@temporalio/worker';
import { settingsOf, type TemporalTarget } from '../common/temporal';
import { openConnection } from '../common/temporalConnect';

export function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  return openConnection(settingsOf(target), (options) => NativeConnection.connect(options));
}
