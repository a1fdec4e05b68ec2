// GET /v1/datasets/{dataset}/constraints: the real presolved rows stored through the day's write and served field
// by field as stored, as known before and after a revision, in JSON, NDJSON and CSV; a dataset of border values
// refused with its message; a key's dataset scope enforced; one constraint's rows over days (constraint_id).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSTRAINT_COLUMNS } from '../../api/constraintColumns';
import { DATASETS, declarationOf } from '../../domain/datasets';
import { NUMERIC_FIELDS, PTDF_PREFIX, TEXT_FIELDS } from '../../domain/flowBased/fields';
import type { Dataset } from '../../domain/types';
import { createTestKey, type InjectedTestApi, injectTestApi } from '../helpers/api';
import { constraintDayRows, PRESOLVED_PAGE, snake, writeConstraintDay } from '../helpers/constraintDays';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const DATASET: Dataset = 'coreFinalComputation';
const DAY = '2025-01-01';
const FIRST_WRITE = '2024-12-31T08:00:00Z';
const REVISION = '2024-12-31T10:00:00Z';
const PATH = `/v1/datasets/${DATASET}/constraints?from=${DAY}&to=${DAY}`;
const REVISED_ID = 561;
const REVISED_HOUR = 5;
const REVISED_RAM = 1234;
/** The datasets of the flow-based domain, as declared. */
/** Every dataset of constraints, in declaration order: Core's domain first. */
const FLOW_BASED = DATASETS.filter((dataset) => declarationOf(dataset).rowKind === 'constraints');

type Row = Record<string, unknown>;

let db: TestDatabase;
let api: InjectedTestApi;
const keys = { flowBased: '', core: '' };

beforeAll(async () => {
  db = await createTestDatabase();
  await writeConstraintDay(db.pool, DATASET, DAY, constraintDayRows(DAY), FIRST_WRITE);
  const revised = constraintDayRows(DAY, (row, hour) =>
    hour === REVISED_HOUR && row.id === REVISED_ID ? { ...row, ram: REVISED_RAM, id: 9999 } : row,
  );
  const written = await writeConstraintDay(db.pool, DATASET, DAY, revised, REVISION);
  expect(written.changedPoints).toBe(1);
  keys.flowBased = await createTestKey(db.pool, [DATASET]);
  keys.core = await createTestKey(db.pool, ['maxExchanges']);
  api = await injectTestApi(db.url);
});

afterAll(async () => {
  await api?.close();
  await db?.release();
});

async function json(path: string, key = keys.flowBased): Promise<{ status: number; body: Row[] & Row }> {
  const response = await api.get(key, path);
  return { status: response.status, body: (await response.json()) as Row[] & Row };
}

/** The stored version (jao.constraints) of the row JAO sent with `jaoId` at `mtu`. */
async function storedRow(jaoId: number, mtu: string): Promise<Row> {
  const stored = await db.pool.query(
    'SELECT * FROM jao.constraints WHERE dataset = $1 AND mtu = $2 AND jao_id = $3',
    [DATASET, mtu, jaoId],
  );
  expect(stored.rows).toHaveLength(1);
  return stored.rows[0];
}

const byKey = (rows: Row[], constraintId: unknown, mtu: string) =>
  rows.filter((row) => row.constraint_id === Number(constraintId) && row.mtu === mtu);

/** CSV's lines as fields (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const lines: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n') {
      fields.push(field);
      lines.push(fields);
      fields = [];
      field = '';
    } else field += char;
  }
  return lines;
}

describe('GET /v1/datasets/{dataset}/constraints', () => {
  it('answers JSON equal to the stored rows, field by field, for a real fixture row', async () => {
    const answer = await json(PATH);
    expect(answer.status).toBe(200);
    expect(answer.body).toHaveLength(24 * PRESOLVED_PAGE.data.length);
    for (const row of answer.body) expect(Object.keys(row)).toEqual(CONSTRAINT_COLUMNS.map((c) => c.name));
    // Ordered by MTU, then constraint.
    const order = answer.body.map((row) => ({ mtu: row.mtu as string, id: row.constraint_id as number }));
    const sorted = [...order].sort((a, b) => a.mtu.localeCompare(b.mtu) || a.id - b.id);
    expect(order).toEqual(sorted);

    const published = constraintDayRows(DAY)[0]!;
    const mtu = new Date(published.dateTimeUtc as string).toISOString();
    const stored = await storedRow(published.id as number, published.dateTimeUtc as string);
    const [served, ...others] = byKey(answer.body, stored.constraint_id, mtu);
    expect(others).toEqual([]);
    expect(served).toBeDefined();
    for (const field of NUMERIC_FIELDS) {
      expect(served![snake(field)], field).toBe(stored[snake(field)]);
      expect(served![snake(field)], field).toBe(published[field]);
    }
    for (const field of TEXT_FIELDS) {
      expect(served![snake(field)], field).toBe(stored[snake(field)]);
      expect(served![snake(field)], field).toBe(published[field]);
    }
    const ptdfKeys = Object.keys(published).filter((key) => key.startsWith(PTDF_PREFIX));
    expect(Object.entries(served!.ptdfs as Row)).toEqual(
      ptdfKeys.map((key) => [key.slice(PTDF_PREFIX.length), published[key]]),
    );
    expect(served).toMatchObject({
      dataset: DATASET,
      delivery_day: DAY,
      mtu,
      constraint_id: Number(stored.constraint_id),
      contingency_eics: stored.contingency_eics,
      presolved: true,
      contingencies: published.contingencies,
      revision: stored.revision,
      first_seen_at: (stored.first_seen_at as Date).toISOString(),
      updated_at: (stored.updated_at as Date).toISOString(),
    });
    expect(served!.contingency_eics).toEqual(
      (published.contingencies as Array<{ branchEic: string }>).map((c) => c.branchEic),
    );
  });

  it('reads the domain as known before and after a revision', async () => {
    const revised = constraintDayRows(DAY)[REVISED_HOUR * PRESOLVED_PAGE.data.length]!;
    expect(revised.id).toBe(REVISED_ID);
    const mtu = new Date(revised.dateTimeUtc as string).toISOString();
    const stored = await storedRow(9999, revised.dateTimeUtc as string);
    const ramAt = async (asOf: string | null) => {
      const answer = await json(asOf ? `${PATH}&as_of=${asOf}` : PATH);
      expect(answer.status).toBe(200);
      return byKey(answer.body, stored.constraint_id, mtu).map((row) => [row.ram, row.revision]);
    };
    expect(await ramAt('2024-12-31T09:30:00Z')).toEqual([[revised.ram, 1]]);
    expect(await ramAt('2024-12-31T10:30:00Z')).toEqual([[REVISED_RAM, 2]]);
    expect(await ramAt(null)).toEqual([[REVISED_RAM, 2]]);
    expect(revised.ram).not.toBe(REVISED_RAM);
    const before = await json(`${PATH}&as_of=2024-12-31T07:00:00Z`);
    expect(before.body).toEqual([]);
  });

  it('answers CSV with its header and every row equal to the JSON answer, field by field', async () => {
    const response = await api.get(keys.flowBased, `${PATH}&format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `inline; filename="${DATASET}_constraints_${DAY}_${DAY}.csv"`,
    );
    const text = await response.text();
    const rows = (await json(PATH)).body;
    const hubs = [...new Set(rows.flatMap((row) => Object.keys(row.ptdfs as Row)))].sort();
    expect(hubs.length).toBeGreaterThan(10);
    expect(text.split('\n')[0]).toBe(
      'dataset,delivery_day,mtu,constraint_id,tso,cne_eic,cne_name,direction,contingency_eics,presolved,ram,' +
        'min_ram_target,min_ram_factor,imax,u,fmax,frm,fref_init,fnrao,fref,fcore,fall,fuaf,amr,lta_margin,cva,' +
        'iva,ftotal_ltn,fltn,cne_status,hub_from,hub_to,substation_from,substation_to,element_type,fmax_type,' +
        `cont_tso,cont_name,justification,contingencies,revision,first_seen_at,updated_at,` +
        hubs.map((hub) => `ptdf_${hub}`).join(','),
    );
    const [header, ...lines] = parseCsv(text);
    const columns = CONSTRAINT_COLUMNS.filter((column) => column.kind !== 'ptdfs');
    expect(lines).toHaveLength(rows.length);
    lines.forEach((fields, r) => {
      const row = rows[r]!;
      expect(fields).toHaveLength(columns.length + hubs.length);
      columns.forEach((column, i) => {
        const field = fields[i]!;
        const value = row[column.name];
        const label = `row ${r} ${header![i]}`;
        if (value === null) expect(field, label).toBe('');
        else if (['textList', 'json'].includes(column.kind)) expect(JSON.parse(field), label).toEqual(value);
        else if (column.kind === 'number' || column.kind === 'integer')
          expect(Number(field), label).toBe(value);
        else expect(field, label).toBe(String(value));
      });
      // The PTDFs: a column per hub, each the JSON answer's PTDF of that hub (empty where null or absent).
      const ptdfs = row.ptdfs as Record<string, number | null>;
      hubs.forEach((hub, h) => {
        const field = fields[columns.length + h]!;
        const value = ptdfs[hub];
        if (value === null || value === undefined) expect(field, `row ${r} ptdf_${hub}`).toBe('');
        else expect(Number(field), `row ${r} ptdf_${hub}`).toBe(value);
      });
    });
    // A published text holding a comma, and one ending in a space, come back as they are.
    const first = rows[0]!;
    expect(String(first.justification)).toContain(',');
    expect(text).toContain(`"${first.justification}"`);
  });

  it('answers NDJSON: one object a line, the JSON answer line by line', async () => {
    const response = await api.get(keys.flowBased, `${PATH}&format=ndjson`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const text = await response.text();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual((await json(PATH)).body);
    const asOf = await api.get(keys.flowBased, `${PATH}&format=ndjson&as_of=2024-12-31T09:30:00Z`);
    const old = (await asOf.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Row);
    expect(old.every((row) => row.revision === 1)).toBe(true);
  });

  it('reads only the constraints constraint_id names, over days, in every format and as of an instant', async () => {
    const all = (await json(PATH)).body;
    const revisedId = String(
      (
        await storedRow(
          9999,
          constraintDayRows(DAY)[REVISED_HOUR * PRESOLVED_PAGE.data.length]!.dateTimeUtc as string,
        )
      ).constraint_id,
    );
    const otherId = String(all.find((row) => row.constraint_id !== Number(revisedId))!.constraint_id);
    const only = (ids: string[]) => all.filter((row) => ids.includes(String(row.constraint_id)));

    const one = await json(`${PATH}&constraint_id=${revisedId}`);
    expect(one.status).toBe(200);
    expect(one.body).toHaveLength(24);
    expect(one.body).toEqual(only([revisedId]));
    expect(one.body.map((row) => row.ram)).toContain(REVISED_RAM);
    const two = await json(
      `${PATH}&constraint_id=${otherId}&constraint_id=${revisedId}&constraint_id=${otherId}`,
    );
    expect(two.body).toHaveLength(48);
    expect(two.body).toEqual(only([revisedId, otherId]));

    const asOf = await json(`${PATH}&constraint_id=${revisedId}&as_of=2024-12-31T09:30:00Z`);
    expect(asOf.body).toHaveLength(24);
    expect(asOf.body.map((row) => row.ram)).not.toContain(REVISED_RAM);
    expect(asOf.body.every((row) => row.revision === 1)).toBe(true);

    const csv = await api.get(keys.flowBased, `${PATH}&constraint_id=${revisedId}&format=csv`);
    const [header, ...lines] = parseCsv(await csv.text());
    expect(header!.slice(0, CONSTRAINT_COLUMNS.length - 1)).toEqual(
      CONSTRAINT_COLUMNS.filter((c) => c.kind !== 'ptdfs').map((c) => c.name),
    );
    expect(header!.slice(CONSTRAINT_COLUMNS.length - 1).every((name) => name.startsWith('ptdf_'))).toBe(true);
    expect(lines.map((fields) => fields[3])).toEqual(one.body.map((row) => String(row.constraint_id)));
    const ndjson = await api.get(
      keys.flowBased,
      `${PATH}&constraint_id=${revisedId}&format=ndjson&as_of=2024-12-31T09:30:00Z`,
    );
    const ndjsonRows = (await ndjson.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Row);
    expect(ndjsonRows).toEqual(asOf.body);

    // An id stored for no constraint of the dataset: no row.
    expect((await json(`${PATH}&constraint_id=999999999`)).body).toEqual([]);
  });

  it('refuses a constraint_id that is not an id, and more than 100 of them', async () => {
    const word = await json(`${PATH}&constraint_id=abc`);
    expect(word.status).toBe(400);
    expect(word.body).toMatchObject({
      parameter: 'constraint_id',
      message: "constraint_id: expected a constraint's id: a positive integer (the constraint_id column)",
    });
    expect((await json(`${PATH}&constraint_id=0`)).status).toBe(400);
    const many = await json(
      `${PATH}${Array.from({ length: 101 }, (_, i) => `&constraint_id=${i + 1}`).join('')}`,
    );
    expect(many.status).toBe(400);
    expect(many.body).toMatchObject({
      parameter: 'constraint_id',
      message: 'constraint_id: at most 100 constraint ids',
    });
  });

  it('refuses a dataset of border values with a message naming what it serves', async () => {
    const answer = await json('/v1/datasets/maxExchanges/constraints', keys.core);
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message:
        'maxExchanges holds values by border or hub, not constraints: /v1/datasets/{dataset}/constraints serves ' +
        `the flow-based domain (${FLOW_BASED.join(', ')}); read maxExchanges at /values`,
      parameter: 'dataset',
      datasets: FLOW_BASED,
    });
    const unknown = await json(`/v1/datasets/nope/constraints?from=${DAY}&to=${DAY}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe(`unknown dataset "nope" (known: ${DATASETS.join(', ')})`);
  });

  it('is where the routes of values send a dataset of the flow-based domain', async () => {
    for (const route of ['values', 'series', 'revisions', 'difference']) {
      const answer = await json(`/v1/datasets/${DATASET}/${route}?from=${DAY}&to=${DAY}`);
      expect(answer.status, route).toBe(404);
      expect(answer.body.message).toBe(
        `${DATASET} holds constraints of the flow-based domain, not values by border or hub: ` +
          `/v1/datasets/{dataset}/${route} serves values; read ${DATASET} at /v1/datasets/${DATASET}/constraints`,
      );
      expect(answer.body.datasets).toContain('maxExchanges');
      expect(answer.body.datasets).not.toContain(DATASET);
    }
  });

  it("enforces the key's dataset scope, and the values route's day range", async () => {
    const outside = await json(PATH, keys.core);
    expect(outside.status).toBe(403);
    expect(outside.body.message).toBe(`this API key is not scoped to the dataset ${DATASET}`);
    const anonymous = await api.get(null, PATH);
    expect(anonymous.status).toBe(401);
    const reversed = await json(`/v1/datasets/${DATASET}/constraints?from=${DAY}&to=2024-12-31`);
    expect(reversed.status).toBe(400);
    expect(reversed.body).toMatchObject({
      parameter: 'from',
      message: 'from: must not be after to (2024-12-31)',
    });
    const unknownParameter = await json(`${PATH}&border=AT_BE`);
    expect(unknownParameter.body).toMatchObject({ statusCode: 400, parameter: 'border' });
  });
});
