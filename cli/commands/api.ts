import { apiSettings } from '../../api/config';
import { startApi } from '../../api/server';
import { parseCommandArgs } from '../args';
import { configFromEnv } from '../context';
import type { CliIo } from '../io';
import { COMMAND_OPTIONS } from '../options';

/** `jao api`: the HTTP API on API_HOST:API_PORT, as jao_reader, until SIGINT or SIGTERM. */
export async function apiCommand(argv: string[], io: CliIo): Promise<void> {
  parseCommandArgs('api', argv, COMMAND_OPTIONS.api, 0);
  const stop = io.gracefulStop();
  const api = await startApi(apiSettings(configFromEnv(io.env)));
  io.err(
    `jao api: listening on ${api.url} (docs ${api.url}/docs, OpenAPI ${api.url}/openapi.json, status page ${api.url}/)`,
  );
  if (!stop.aborted) await new Promise((resolve) => stop.addEventListener('abort', resolve, { once: true }));
  await api.close();
}
