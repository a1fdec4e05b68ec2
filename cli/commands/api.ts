import { apiSettings } from '../../api/config';
import { startApi } from '../../api/server';
import { parseCommandArgs } from '../args';
import { configFromEnv } from '../context';
import { COMMAND_OPTIONS } from '../options';

/** `jao api`: the HTTP API on API_HOST:API_PORT, as jao_reader, until SIGINT or SIGTERM. */
export async function apiCommand(argv: string[]): Promise<void> {
  parseCommandArgs('api', argv, COMMAND_OPTIONS.api, 0);
  const api = await startApi(apiSettings(configFromEnv()));
  console.error(
    `jao api: listening on ${api.url} (docs ${api.url}/docs, OpenAPI ${api.url}/openapi.json, status page ${api.url}/)`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await api.close();
}
