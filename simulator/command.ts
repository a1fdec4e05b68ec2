// `npx jao simulate`: runs the JAO simulator on 127.0.0.1 until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { deliveryDayProblem, isDeliveryDay } from '../domain/calendar';
import { DATASETS, dataPathOf, declarationOf } from '../domain/datasets';
import { type SimulatorFaults, SimulatorInputError } from './faults';
import { CONTROL_PREFIX, type SimulatorOptions, startSimulator } from './server';

export const SIMULATE_USAGE = `usage: jao simulate [options]
  --port N                      port (default 0: any free port)
  --host ADDRESS                interface to bind (default 127.0.0.1; 0.0.0.0 only inside a container)
  --publication-time HH:MM      when D+1 becomes visible, Europe/Amsterdam on D (default 08:00)
  --key-set-change-day DAY      first day with the extended key set (default 2026-06-01)
  --now INSTANT                 start the simulated clock at this UTC instant (it then runs at real speed)
  --seed N                      seed of the fault PRNG (default 1)
  --latency-ms N                added to every answer
  --error-rate X                share of answers that are 5xx, 0..1
  --max-requests-per-minute N   429 above this rate
  --retry-after-seconds N       Retry-After sent with 429
  --truncated-days D1,D2        bodies cut in the middle
  --malformed-days D1,D2        HTML error page with 200
  --rejected-days D1,D2         rejected:true
  --missing-mtu-days D1,D2      third MTU left out
  --dst-split-refusal           400 for a whole DST-change day
Anomalies of the content, each on the days listed:
  --null-value-days D1,D2       the day's first N values null (N: --null-value-cells, default 25)
  --null-value-cells N
  --duplicate-row-days D1,D2    the fourth MTU's row sent twice, identically
  --conflicting-duplicate-days D1,D2  the fourth MTU's row sent twice with different values
  --string-value-days D1,D2     every value as a JSON string
  --extra-field-days D1,D2      rows with unknown fields (lastModifiedOn, comment)
  --quarter-hour-days D1,D2     15-minute rows (hourly datasets)
  --hourly-days D1,D2           hourly rows (15-minute datasets)
  --bad-key-days D1,D2          rows with a key holding a NUL byte and a 3,000-character key
  --many-keys-days D1,D2        rows with N unknown well-formed keys (N: --many-keys-count, default 10000)
  --many-keys-count N
While running: GET/POST ${CONTROL_PREFIX}/faults, POST ${CONTROL_PREFIX}/revise?day=YYYY-MM-DD,
  POST ${CONTROL_PREFIX}/republish?day=YYYY-MM-DD, POST ${CONTROL_PREFIX}/publish?day=YYYY-MM-DD[&at=INSTANT],
  POST ${CONTROL_PREFIX}/unpublish?day=YYYY-MM-DD (each with &dataset=ID, default every dataset for publish and
  unpublish, Core maxExchanges for the others), GET ${CONTROL_PREFIX}/requests;
  Core's flow-based domain (finalComputation, preFinalComputation, initialComputation, netPos): POST
  ${CONTROL_PREFIX}/flowbased/{publish,unpublish,partial,complete,revise,countChange}?day=YYYY-MM-DD[&endpoint=…],
  GET ${CONTROL_PREFIX}/flowbased?day=YYYY-MM-DD (docs/simulator.md)`;

/** A mistake in the command line: the CLI prints the message on one line and exits 2. */
export class SimulateUsageError extends SimulatorInputError {
  override name = 'SimulateUsageError';
}

const integerText = z.string().regex(/^\d+$/, 'expected a whole number').transform(Number);
const dayListText = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  )
  .refine((days) => days.every(isDeliveryDay), {
    error: (issue) => {
      const days = issue.input as string[];
      const problem = deliveryDayProblem(days.find((day) => !isDeliveryDay(day)));
      return `expected comma-separated days YYYY-MM-DD: ${problem}`;
    },
  });

const argsSchema = z.object({
  port: integerText.pipe(z.number().max(65_535)).optional(),
  host: z
    .string()
    .regex(/^[\w.:-]+$/, 'expected an IP address or host name')
    .optional(),
  'publication-time': z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM')
    .optional(),
  'key-set-change-day': z
    .string()
    .refine(isDeliveryDay, { error: (issue) => deliveryDayProblem(issue.input) ?? undefined })
    .optional(),
  now: z.iso.datetime({ message: 'expected a UTC instant like 2026-04-19T09:00:00Z' }).optional(),
  seed: integerText.optional(),
  'latency-ms': integerText.optional(),
  'error-rate': z
    .string()
    .regex(/^\d*\.?\d+$/, 'expected a number between 0 and 1')
    .transform(Number)
    .pipe(z.number().max(1))
    .optional(),
  'max-requests-per-minute': integerText.pipe(z.number().positive()).optional(),
  'retry-after-seconds': integerText.optional(),
  'truncated-days': dayListText.optional(),
  'malformed-days': dayListText.optional(),
  'rejected-days': dayListText.optional(),
  'missing-mtu-days': dayListText.optional(),
  'dst-split-refusal': z.boolean().optional(),
  'null-value-days': dayListText.optional(),
  'null-value-cells': integerText.pipe(z.number().min(1)).optional(),
  'duplicate-row-days': dayListText.optional(),
  'conflicting-duplicate-days': dayListText.optional(),
  'string-value-days': dayListText.optional(),
  'extra-field-days': dayListText.optional(),
  'quarter-hour-days': dayListText.optional(),
  'hourly-days': dayListText.optional(),
  'bad-key-days': dayListText.optional(),
  'many-keys-days': dayListText.optional(),
  'many-keys-count': integerText.pipe(z.number().min(1)).optional(),
  help: z.boolean().optional(),
});

const STRING_OPTIONS = [
  'port',
  'host',
  'publication-time',
  'key-set-change-day',
  'now',
  'seed',
  'latency-ms',
  'error-rate',
  'max-requests-per-minute',
  'retry-after-seconds',
  'truncated-days',
  'malformed-days',
  'rejected-days',
  'missing-mtu-days',
  'null-value-days',
  'null-value-cells',
  'duplicate-row-days',
  'conflicting-duplicate-days',
  'string-value-days',
  'extra-field-days',
  'quarter-hour-days',
  'hourly-days',
  'bad-key-days',
  'many-keys-days',
  'many-keys-count',
] as const;

export type SimulateArgs = { help: true } | { help: false; options: SimulatorOptions };

/** Reads the command line into simulator options; throws SimulateUsageError on a mistake. */
export function parseSimulateArgs(argv: string[]): SimulateArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(STRING_OPTIONS.map((name) => [name, { type: 'string' as const }])),
        'dst-split-refusal': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    values = parsed.values;
  } catch (error) {
    throw new SimulateUsageError(error instanceof Error ? error.message : String(error));
  }
  const checked = argsSchema.safeParse(values);
  if (!checked.success) {
    const problems = checked.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`);
    throw new SimulateUsageError(problems.join('; '));
  }
  const args = checked.data;
  if (args.help) return { help: true };

  const faults: Partial<SimulatorFaults> = {};
  if (args['latency-ms'] !== undefined) faults.latencyMs = args['latency-ms'];
  if (args['error-rate'] !== undefined) faults.errorRate = args['error-rate'];
  if (args['max-requests-per-minute'] !== undefined)
    faults.maxRequestsPerMinute = args['max-requests-per-minute'];
  if (args['retry-after-seconds'] !== undefined) faults.retryAfterSeconds = args['retry-after-seconds'];
  if (args['truncated-days'] !== undefined) faults.truncatedDays = args['truncated-days'];
  if (args['malformed-days'] !== undefined) faults.malformedDays = args['malformed-days'];
  if (args['rejected-days'] !== undefined) faults.rejectedDays = args['rejected-days'];
  if (args['missing-mtu-days'] !== undefined) faults.missingMtuDays = args['missing-mtu-days'];
  if (args['dst-split-refusal'] !== undefined) faults.dstSplitRefusal = args['dst-split-refusal'];
  if (args['null-value-days'] !== undefined) faults.nullValueDays = args['null-value-days'];
  if (args['null-value-cells'] !== undefined) faults.nullValueCells = args['null-value-cells'];
  if (args['duplicate-row-days'] !== undefined) faults.duplicateRowDays = args['duplicate-row-days'];
  if (args['conflicting-duplicate-days'] !== undefined)
    faults.conflictingDuplicateDays = args['conflicting-duplicate-days'];
  if (args['string-value-days'] !== undefined) faults.stringValueDays = args['string-value-days'];
  if (args['extra-field-days'] !== undefined) faults.extraFieldDays = args['extra-field-days'];
  if (args['quarter-hour-days'] !== undefined) faults.quarterHourDays = args['quarter-hour-days'];
  if (args['hourly-days'] !== undefined) faults.hourlyDays = args['hourly-days'];
  if (args['bad-key-days'] !== undefined) faults.badKeyDays = args['bad-key-days'];
  if (args['many-keys-days'] !== undefined) faults.manyKeysDays = args['many-keys-days'];
  if (args['many-keys-count'] !== undefined) faults.manyKeysCount = args['many-keys-count'];

  const options: SimulatorOptions = { host: args.host ?? '127.0.0.1', faults };
  if (args.port !== undefined) options.port = args.port;
  if (args['publication-time'] !== undefined) options.publicationTime = args['publication-time'];
  if (args['key-set-change-day'] !== undefined) options.keySetChangeDay = args['key-set-change-day'];
  if (args.seed !== undefined) options.seed = args.seed;
  if (args.now !== undefined) {
    const offsetMs = Date.parse(args.now) - Date.now();
    options.now = () => new Date(Date.now() + offsetMs);
  }
  return { help: false, options };
}

/** Where `jao simulate` writes, and the signal that stops it (the CLI's io, cli/io.ts). */
export interface SimulateIo {
  out(line: string): void;
  err(line: string): void;
  stop: AbortSignal;
}

export async function runSimulateCommand(argv: string[], io: SimulateIo): Promise<void> {
  const args = parseSimulateArgs(argv);
  if (args.help) {
    io.out(SIMULATE_USAGE);
    return;
  }
  const simulator = await startSimulator(args.options);
  io.out(simulator.origin);
  io.err(
    `JAO simulator listening: ${DATASETS.map((dataset) => `${simulator.origin}${dataPathOf(declarationOf(dataset))}`).join(', ')} ?FromUtc=…&ToUtc=… ` +
      `(control under ${simulator.origin}${CONTROL_PREFIX}/; Ctrl-C to stop)`,
  );
  if (!io.stop.aborted)
    await new Promise((resolve) => io.stop.addEventListener('abort', resolve, { once: true }));
  await simulator.close();
}
