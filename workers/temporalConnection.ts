// The worker's connection to Temporal: the same settings, TLS material and failure lines as every client's
// (common/temporalConnect.ts), on the SDK's native connection that the workers poll through.
import { NativeConnection } from '@temporalio/worker';
import { settingsOf, type TemporalTarget } from '../common/temporal';
import {
  type ConnectStage,
  connectOptionsOf,
  explainConnectFailure,
  readTlsMaterial,
} from '../common/temporalConnect';

export async function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  const settings = settingsOf(target);
  const material = readTlsMaterial(settings);
  const { tls, ...rest } = connectOptionsOf(settings, material);
  let connection: NativeConnection | undefined;
  let stage: ConnectStage = 'connect';
  try {
    connection = await NativeConnection.connect({ ...rest, ...(tls ? { tls } : {}) });
    stage = 'namespace';
    await connection.workflowService.describeNamespace({ namespace: settings.namespace });
    return connection;
  } catch (error) {
    await connection?.close().catch(() => {});
    throw await explainConnectFailure(error, settings, material, stage);
  }
}
