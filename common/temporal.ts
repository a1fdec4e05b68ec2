import { Client, Connection } from '@temporalio/client';
import type { Config } from './config';

export interface TemporalClient {
  client: Client;
  connection: Connection;
  close(): Promise<void>;
}

export async function connectClient(
  config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>,
): Promise<TemporalClient> {
  const connection = await Connection.connect({
    address: config.TEMPORAL_ADDRESS,
    connectTimeout: '5 seconds',
  });
  return {
    client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
    connection,
    close: () => connection.close(),
  };
}
