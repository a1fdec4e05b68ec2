// `jao cluster up|down|status`: the real Temporal server on PostgreSQL, one process per service, on this machine.
import type { Config } from '../../common/config';
import {
  ClusterError,
  clusterDown,
  clusterStatus,
  clusterUp,
  frontendAddress,
} from '../../devstack/cluster/cluster';
import { CLUSTER_SERVICES, clusterPorts, temporalDatabases } from '../../devstack/cluster/settings';
import { GoMissingError } from '../../devstack/temporalServer';
import { integerArg, parseCommandArgs } from '../args';
import { configFromEnv } from '../context';
import { UsageError } from '../errors';
import { type CliIo, commandLogger } from '../io';
import { COMMAND_OPTIONS } from '../options';

const SUBCOMMANDS = ['up', 'down', 'status'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];
type Say = (line: string) => void;

export async function clusterCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('cluster', argv, COMMAND_OPTIONS.cluster);
  const [action, ...extra] = positionals;
  if (!action || !SUBCOMMANDS.includes(action as Subcommand) || extra.length > 0) {
    throw new UsageError('expected one of up, down, status (e.g. `jao cluster up`)');
  }
  const config = configFromEnv(io.env);
  // Progress of bringing the cluster up or down: log lines (common/logger.ts).
  const logger = commandLogger(io, 'cluster');
  const say = (line: string) => logger.info(line);
  try {
    if (action === 'up') await up(io, say, config, values.port);
    else if (action === 'down') await down(io, say, config, values.timeout);
    else return await status(io, config);
    return 0;
  } catch (error) {
    if (error instanceof ClusterError || error instanceof GoMissingError) throw new UsageError(error.message);
    throw error;
  }
}

async function up(io: CliIo, say: Say, config: Config, portText: string | undefined): Promise<void> {
  // the frontend's port and the ones after it up to +110 (see devstack/cluster/settings.ts)
  const frontendPort = integerArg('--port', portText, 1024, 65_000);
  const databases = temporalDatabases(config);
  say(`databases ${databases.main} and ${databases.visibility} on ${databases.host}:${databases.port}`);
  const report = await clusterUp(config, { frontendPort, log: say });
  const { namespace } = report;
  say(
    `namespace ${config.TEMPORAL_NAMESPACE} ${namespace.registered ? 'registered' : 'already registered'}` +
      (namespace.searchAttributesAdded.length
        ? `; search attributes added: ${namespace.searchAttributesAdded.join(', ')} (usable within about 10 s)`
        : '; search attributes in place'),
  );
  const address = frontendAddress(report.state);
  io.out(
    [
      `Temporal cluster ${report.state.serverVersion} is up: frontend ${address}, namespace ${config.TEMPORAL_NAMESPACE}`,
      `  logs and pids   ${config.JAO_DATA_DIR}/cluster/`,
      `  point the pipeline at it:  export TEMPORAL_ADDRESS=${address}`,
      '  then: npx jao worker   (one or more, on any host that reaches the frontend)',
    ].join('\n'),
  );
}

async function down(io: CliIo, say: Say, config: Config, timeoutText: string | undefined): Promise<void> {
  const seconds = integerArg('--timeout', timeoutText, 1, 3600);
  const report = await clusterDown(config, {
    timeoutMs: seconds === undefined ? undefined : seconds * 1000,
    log: say,
  });
  const stopped = report.outcomes.filter((o) => o.outcome !== 'not running').length;
  io.out(stopped ? `Temporal cluster stopped (${stopped} services)` : 'no cluster service was running');
}

async function status(io: CliIo, config: Config): Promise<number> {
  const report = await clusterStatus(config);
  if (!report.state) {
    io.out(`no cluster in ${report.layout.dir} (start one with: npx jao cluster up)`);
    return 1;
  }
  const ports = clusterPorts(report.state.frontendPort);
  const lines = [`Temporal cluster ${report.state.serverVersion} (${report.layout.dir})`];
  for (const service of CLUSTER_SERVICES) {
    const entry = report.services.find((s) => s.service === service)!;
    const pid = entry.running ? `pid ${entry.pid}` : '-';
    lines.push(
      `  ${service.padEnd(9)} ${(entry.running ? 'running' : 'stopped').padEnd(8)} ${pid.padEnd(12)} ` +
        (service === 'worker'
          ? `membership 127.0.0.1:${ports.services.worker.membership}`
          : `gRPC 127.0.0.1:${ports.services[service].grpc}`),
    );
  }
  const address = frontendAddress(report.state);
  lines.push(
    report.frontend
      ? `  frontend ${address} answers (server ${report.frontend.serverVersion}), namespace ${report.state.namespace}`
      : `  frontend ${address} does not answer`,
  );
  const { databases } = report.state;
  lines.push(`  databases ${databases.main}, ${databases.visibility} on ${databases.host}:${databases.port}`);
  io.out(lines.join('\n'));
  const healthy = report.frontend && report.services.every((s) => s.running);
  return healthy ? 0 : 1;
}
