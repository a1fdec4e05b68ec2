// A container as the engine sees it, through the Docker-compatible API on DOCKER_HOST's unix socket (what
// Compose talks to): its main process, whether it runs, how often its restart policy restarted it.
import { request } from 'node:http';
import { z } from 'zod';
import type { Engine } from './engine';

const inspected = z.object({
  Id: z.string(),
  Image: z.string(),
  RestartCount: z.number().int(),
  State: z.object({ Running: z.boolean(), Pid: z.number().int(), StartedAt: z.string() }),
});
export type ContainerState = z.infer<typeof inspected>;

function engineRequest(
  engine: Engine,
  method: string,
  path: string,
): Promise<{ status: number; body: string }> {
  const socketPath = engine.DOCKER_HOST.replace(/^unix:\/\//, '');
  return new Promise((resolve, reject) => {
    const call = request({ socketPath, method, path, headers: { host: 'engine' } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    call.on('error', reject);
    call.end();
  });
}

export async function inspectContainer(engine: Engine, id: string): Promise<ContainerState> {
  const answer = await engineRequest(engine, 'GET', `/containers/${encodeURIComponent(id)}/json`);
  if (answer.status !== 200) throw new Error(`inspect ${id}: HTTP ${answer.status} ${answer.body.trim()}`);
  return inspected.parse(JSON.parse(answer.body));
}

/** Stops and removes a container (a one-off one of `docker compose run`), waiting up to `timeoutSeconds`. */
export async function removeContainer(engine: Engine, id: string, timeoutSeconds: number): Promise<void> {
  const name = encodeURIComponent(id);
  const stopped = await engineRequest(engine, 'POST', `/containers/${name}/stop?t=${timeoutSeconds}`);
  if (![204, 304, 404].includes(stopped.status)) {
    throw new Error(`stop ${id}: HTTP ${stopped.status} ${stopped.body.trim()}`);
  }
  const removed = await engineRequest(engine, 'DELETE', `/containers/${name}?force=true`);
  if (![200, 204, 404].includes(removed.status)) {
    throw new Error(`remove ${id}: HTTP ${removed.status} ${removed.body.trim()}`);
  }
}

const listed = z.array(z.object({ Id: z.string() }));

/** The ids of every container, running or not, that Compose labelled as the project's (one-off ones included). */
export async function projectContainers(engine: Engine, project: string): Promise<string[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`] }));
  const answer = await engineRequest(engine, 'GET', `/containers/json?all=true&filters=${filters}`);
  if (answer.status !== 200) throw new Error(`list containers: HTTP ${answer.status} ${answer.body.trim()}`);
  return listed.parse(JSON.parse(answer.body)).map((container) => container.Id);
}
