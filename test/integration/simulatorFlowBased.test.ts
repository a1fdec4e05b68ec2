// The simulator's Core flow-based paths (simulator/flowBased/) over HTTP: JAO's paged envelope, its parameters and
// refusal, rows shaped like the real ones of test/fixtures/jao/flowbased/, whole days the domain code reads and judges
// complete, and the behaviours the pipeline must meet (publication, partial days, revisions, a count that changes
// while paging), then netPos.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayStartMs, dayWindow, expectedMtuCount } from '../../domain/calendar';
import { type ConstraintRow, parseDomainPage } from '../../domain/flowBased/answer';
import { constraintKeyOf } from '../../domain/flowBased/constraintKey';
import { AHC_HUBS, CORE_PTDF_HUBS } from '../../domain/flowBased/fields';
import { identityBreaks } from '../../domain/flowBased/identities';
import { judgeDomainDay, validateDomainDay } from '../../domain/flowBased/validateDomain';
import type { DeliveryDay } from '../../domain/types';
import { type SimulatorHandle, type SimulatorOptions, startSimulator } from '../../simulator/server';

const FIXTURES = join(__dirname, '..', 'fixtures', 'jao', 'flowbased');
type Row = Record<string, unknown>;
const readFixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Row;
const DOMAIN_FIXTURE = readFixture('core_finalComputation_2024-12-31T23Z_Elia_presolved.reconstructed.json');
const FIXTURE_ROWS = DOMAIN_FIXTURE.data as Row[];
const NET_POS_FIXTURE = readFixture('core_netPos_2026-08-09T00Z.json');

const NOW = new Date('2026-11-22T12:00:00Z');
const PRESOLVED = '{"Presolved":true}';
const ELIA_EIC = '10X1001A1001A094';
const CORE_HUBS = new Set<string>(CORE_PTDF_HUBS);
const ENVELOPE_KEYS = [
  'data',
  'totalRows',
  'totalRowsWithFilter',
  'skip',
  'take',
  'appliedFilter',
  'lastModifiedOn',
  'rejected',
  'messages',
];
const REFUSAL = { data: null, rejected: true, messages: ['Invalid FromUtc/ToUtc range'] };

interface Page {
  data: Row[];
  totalRows: number;
  totalRowsWithFilter: number;
  skip: number;
  take: number | null;
  appliedFilter: Record<string, unknown> | null;
  lastModifiedOn: string | null;
  rejected: boolean;
  messages: unknown;
}

const running: SimulatorHandle[] = [];

async function simulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const handle = await startSimulator({ now: () => NOW, ...options });
  running.push(handle);
  return handle;
}

afterAll(async () => {
  await Promise.all(running.map((handle) => handle.close()));
});

/** A query string from name–value pairs (values encoded, names as given). */
function queryOf(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&');
}

async function get(
  origin: string,
  endpoint: string,
  params: Record<string, string | number>,
): Promise<{ status: number; text: string; json: unknown }> {
  const response = await fetch(`${origin}/core/api/data/${endpoint}?${queryOf(params)}`);
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : null };
}

async function page(
  origin: string,
  params: Record<string, string | number>,
  endpoint = 'finalComputation',
): Promise<Page> {
  const answer = await get(origin, endpoint, params);
  expect(answer.status, answer.text.slice(0, 300)).toBe(200);
  return answer.json as Page;
}

function dayParams(day: DeliveryDay): { FromUtc: string; ToUtc: string } {
  const window = dayWindow(day);
  return { FromUtc: window.from.replace('.000Z', 'Z'), ToUtc: window.to.replace('.000Z', 'Z') };
}

async function control(origin: string, action: string, params: Record<string, string | number>) {
  const response = await fetch(`${origin}/_simulator/flowbased/${action}?${queryOf(params)}`, {
    method: 'POST',
  });
  const body = (await response.json()) as Row;
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body;
}

interface ServedDay {
  pages: Page[];
  raw: Row[];
  rows: ConstraintRow[];
  announced: number;
}

/** Every page of a day, read as the pipeline reads them (a probe, then pages of `take` until the count is read). */
async function readDay(
  origin: string,
  day: DeliveryDay,
  { take = 1000, filter = PRESOLVED, endpoint = 'finalComputation' } = {},
): Promise<ServedDay> {
  const base = { ...dayParams(day), ...(filter ? { Filter: filter } : {}) };
  const probe = await page(origin, { ...base, Skip: 0, Take: 0 }, endpoint);
  const pages: Page[] = [];
  const raw: Row[] = [];
  const rows: ConstraintRow[] = [];
  for (let skip = 0; skip < probe.totalRowsWithFilter; skip += take) {
    const answer = await page(origin, { ...base, Skip: skip, Take: take }, endpoint);
    const check = parseDomainPage(answer);
    if (!check.ok) throw new Error(check.reason);
    expect(check.page.refused).toEqual([]);
    pages.push(answer);
    raw.push(...answer.data);
    rows.push(...check.page.rows);
  }
  return { pages, raw, rows, announced: probe.totalRowsWithFilter };
}

function judged(day: DeliveryDay, served: ServedDay) {
  const validated = validateDomainDay({
    day,
    rows: served.rows,
    refused: [],
    announcedRows: served.announced,
    knownHubs: CORE_HUBS,
  });
  return { validated, verdict: judgeDomainDay(validated) };
}

const jsonType = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** Each field's JSON types in rows of one kind. */
function typesByField(rows: readonly Row[]): Map<string, Set<string>> {
  const types = new Map<string, Set<string>>();
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      const seen = types.get(key) ?? new Set<string>();
      seen.add(jsonType(value));
      types.set(key, seen);
    }
  }
  return types;
}

const isExternal = (row: Row) => String(row.cneName).startsWith('External Constraint');
const isSpecial = (row: Row) => row.cneEic === 'NA';
const isNState = (row: Row) =>
  (row.contingencies as Row[]).length === 1 && (row.contingencies as Row[])[0]!.branchEic === null;

const FIXTURE_KEYS = Object.keys(FIXTURE_ROWS[0]!);
const FIXTURE_CNECS = FIXTURE_ROWS.filter((row) => !isSpecial(row));
const FIXTURE_EXTERNALS = FIXTURE_ROWS.filter(isExternal);
const CNEC_TYPES = typesByField(FIXTURE_CNECS);
const EXTERNAL_TYPES = typesByField(FIXTURE_EXTERNALS);
const ITEM_TYPES = typesByField(FIXTURE_ROWS.flatMap((row) => row.contingencies as Row[]));
const ITEM_KEYS = Object.keys((FIXTURE_ROWS[0]!.contingencies as Row[])[0]!);
/** Fields a CNEC in the N state has as the external constraints have them (null, and a null contingency). */
const N_STATE_FIELDS = new Set(['contTso', 'contName']);
const MW_FIELDS = [
  'ram',
  'imax',
  'u',
  'fmax',
  'frm',
  'frefInit',
  'fnrao',
  'fref',
  'fcore',
  'fall',
  'fuaf',
  'amr',
  'ltaMargin',
  'cva',
  'iva',
  'ftotalLtn',
  'fltn',
];

describe('flow-based domain: envelope, parameters, paging', () => {
  let sim: SimulatorHandle;
  const DAY = '2026-11-21';
  beforeAll(async () => {
    sim = await simulator();
  });

  it('answers the count probe with the counts and no rows, in JAO envelope order', async () => {
    const answer = await get(sim.origin, 'finalComputation', {
      ...dayParams(DAY),
      Skip: 0,
      Take: 0,
      Filter: PRESOLVED,
    });
    expect(answer.status).toBe(200);
    const probe = answer.json as Page;
    expect(Object.keys(probe)).toEqual(ENVELOPE_KEYS);
    expect(probe).toMatchObject({
      data: [],
      skip: 0,
      take: 0,
      lastModifiedOn: null,
      rejected: false,
      messages: null,
    });
    expect(probe.appliedFilter).toEqual({
      presolved: true,
      cnecName: null,
      contingency: null,
      tso: null,
      hubFrom: null,
      hubTo: null,
    });
    // 100–150 presolved constraints an hour, a few times as many in all.
    expect(probe.totalRowsWithFilter).toBeGreaterThanOrEqual(24 * 100);
    expect(probe.totalRowsWithFilter).toBeLessThanOrEqual(24 * 150);
    expect(probe.totalRows).toBeGreaterThan(3 * probe.totalRowsWithFilter);
    expect(probe.totalRows).toBeLessThanOrEqual(24 * 600);
  });

  it('pages by Skip and Take: full pages, a short last page, nothing beyond the end', async () => {
    const base = { ...dayParams(DAY), Filter: PRESOLVED };
    const whole = await page(sim.origin, { ...base, Skip: 0, Take: 10_000 });
    const count = whole.totalRowsWithFilter;
    expect(whole.data).toHaveLength(count);
    expect(whole.take).toBe(10_000);
    const ids: unknown[] = [];
    for (let skip = 0; skip < count; skip += 1000) {
      const one = await page(sim.origin, { ...base, Skip: skip, Take: 1000 });
      expect(one).toMatchObject({ skip, take: 1000, totalRowsWithFilter: count, totalRows: whole.totalRows });
      expect(one.data).toHaveLength(Math.min(1000, count - skip));
      expect(one.lastModifiedOn).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      ids.push(...one.data.map((row) => row.id));
    }
    expect(ids).toEqual(whole.data.map((row) => row.id));
    expect(new Set(ids).size).toBe(count);
    const beyond = await page(sim.origin, { ...base, Skip: count + 5, Take: 1000 });
    expect(beyond).toMatchObject({
      data: [],
      totalRowsWithFilter: count,
      skip: count + 5,
      lastModifiedOn: null,
    });
    // MTU order: every row of an hour before the next hour's.
    const mtus = whole.data.map((row) => String(row.dateTimeUtc));
    expect(mtus).toEqual([...mtus].sort());
    expect(new Set(mtus).size).toBe(24);
  });

  it('filters by presolved, TSO, CNE name and contingency, and echoes the filter', async () => {
    const base = { FromUtc: '2026-11-21T05:00:00Z', ToUtc: '2026-11-21T09:00:00Z', Skip: 0, Take: 20_000 };
    const all = await page(sim.origin, base);
    expect(all.appliedFilter).toBeNull();
    expect(all.totalRowsWithFilter).toBe(all.totalRows);
    const presolved = await page(sim.origin, { ...base, Filter: '{"Presolved":true}' });
    const redundant = await page(sim.origin, { ...base, Filter: '{"Presolved":false}' });
    expect(presolved.totalRowsWithFilter + redundant.totalRowsWithFilter).toBe(all.totalRows);
    expect(presolved.data.every((row) => row.presolved === true)).toBe(true);
    expect(redundant.data.every((row) => row.presolved === false)).toBe(true);

    const elia = await page(sim.origin, { ...base, Filter: `{"Presolved":null,"Tso":["${ELIA_EIC}"]}` });
    expect(elia.appliedFilter).toMatchObject({ presolved: null, tso: [ELIA_EIC] });
    expect(elia.data.length).toBeGreaterThan(0);
    expect(elia.data.every((row) => row.tso === 'ELIA')).toBe(true);
    expect(elia.totalRows).toBe(all.totalRows);
    const tsos = new Set(presolved.data.map((row) => row.tso));
    expect(tsos.size).toBeGreaterThanOrEqual(10);

    const named = await page(sim.origin, { ...base, Filter: '{"CnecName":"van eyck"}' });
    expect(named.data.length).toBeGreaterThan(0);
    expect(named.data.every((row) => String(row.cneName).toLowerCase().includes('van eyck'))).toBe(true);
    const outage = await page(sim.origin, { ...base, Filter: '{"Contingency":"Alegro"}' });
    expect(outage.data.length).toBeGreaterThan(0);
    expect(outage.data.every((row) => String(row.contName).includes('Alegro'))).toBe(true);
    expect(outage.appliedFilter).toEqual({
      presolved: null,
      cnecName: null,
      contingency: 'Alegro',
      tso: null,
      hubFrom: null,
      hubTo: null,
    });
    // A client's form: lower-case keys, empty texts and lists (they filter nothing).
    const lenient = await page(sim.origin, {
      ...base,
      filter: '{"presolved": true, "cnecName": "", "tso": [], "hubFrom": [], "hubTo": [], "contingency": ""}',
    });
    expect(lenient.totalRowsWithFilter).toBe(presolved.totalRowsWithFilter);
    expect(lenient.appliedFilter).toMatchObject({ presolved: true, cnecName: '', tso: [] });
  });

  it('reads parameter names in any case and the instant forms clients send', async () => {
    const window = dayWindow(DAY);
    const forms = [
      { FromUtc: window.from.replace('.000Z', 'Z'), ToUtc: window.to.replace('.000Z', 'Z') },
      { FromUtc: window.from, ToUtc: window.to },
      { FromUtc: window.from.replace('.000Z', '+00:00'), ToUtc: window.to.replace('.000Z', '+00:00') },
    ];
    const texts: string[] = [];
    for (const form of forms) {
      texts.push(
        (await get(sim.origin, 'finalComputation', { ...form, Skip: 0, Take: 200, Filter: PRESOLVED })).text,
      );
    }
    const lower = await get(sim.origin, 'finalComputation', {
      fromutc: forms[0]!.FromUtc,
      TOUTC: forms[0]!.ToUtc,
      skip: 0,
      TAKE: 200,
      filter: '{"PRESOLVED":true}',
    });
    texts.push(lower.text);
    expect(new Set(texts).size).toBe(1);
    expect((JSON.parse(texts[0]!) as Page).data).toHaveLength(200);
  });

  it('serves the half-open window [FromUtc, ToUtc)', async () => {
    const one = await page(sim.origin, {
      FromUtc: '2026-11-20T23:00:00Z',
      ToUtc: '2026-11-21T00:00:00Z',
      Filter: PRESOLVED,
    });
    expect(new Set(one.data.map((row) => row.dateTimeUtc))).toEqual(new Set(['2026-11-20T23:00:00Z']));
    expect(one.take).toBeNull();
    expect(one.data).toHaveLength(one.totalRowsWithFilter);
  });

  it('refuses a window over 2 days or reversed with JAO refusal, and bad parameters with 400', async () => {
    const tooLong = await get(sim.origin, 'finalComputation', {
      FromUtc: '2026-11-18T23:00:00Z',
      ToUtc: '2026-11-21T00:00:00Z',
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json).toEqual(REFUSAL);
    expect(tooLong.text).toBe('{"data":null,"rejected":true,"messages":["Invalid FromUtc/ToUtc range"]}');
    const reversed = await get(sim.origin, 'finalComputation', {
      FromUtc: '2026-11-21T23:00:00Z',
      ToUtc: '2026-11-20T23:00:00Z',
    });
    expect([reversed.status, reversed.json]).toEqual([400, REFUSAL]);
    const twoDays = await get(sim.origin, 'finalComputation', {
      FromUtc: '2026-11-19T23:00:00Z',
      ToUtc: '2026-11-21T23:00:00Z',
      Take: 0,
    });
    expect(twoDays.status).toBe(200);
    const bad: Array<Record<string, string | number>> = [
      { FromUtc: '2026-11-20T23:00:00Z' },
      { FromUtc: 'yesterday', ToUtc: 'today' },
      { ...dayParams(DAY), Take: -1 },
      { ...dayParams(DAY), Skip: 'one' },
      { ...dayParams(DAY), Filter: '{"Presolved":' },
      { ...dayParams(DAY), Filter: '{"Presolved":"yes"}' },
      { ...dayParams(DAY), Filter: '{"Tso":"10X1001A1001A094"}' },
    ];
    for (const params of bad) {
      const answer = await get(sim.origin, 'finalComputation', params);
      expect(answer.status, JSON.stringify(params)).toBe(400);
      expect(answer.json).toMatchObject({ status: 400, title: 'Bad Request' });
    }
  });

  it('answers HEAD like GET without a body, 405 to other methods, and logs every request', async () => {
    const url = `${sim.origin}/core/api/data/preFinalComputation?${queryOf({ ...dayParams(DAY), Take: 0 })}`;
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
    const log = (await (await fetch(`${sim.origin}/_simulator/requests`)).json()) as Row[];
    const mine = log.filter((entry) => entry.endpoint === 'preFinalComputation');
    expect(mine.map((entry) => entry.status)).toEqual([200, 405]);
    // The paging asked for is logged: Take=0 is a count probe (bench:freshness counts pages of rows apart).
    expect(mine[0]).toMatchObject({ fromUtc: dayParams(DAY).FromUtc, toUtc: dayParams(DAY).ToUtc, take: 0 });
    expect(mine[0]!.skip).toBeUndefined();
    expect(log.some((entry) => entry.endpoint === 'finalComputation' && entry.status === 400)).toBe(true);
  });
});

describe('flow-based domain: rows like the real ones', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await simulator();
  });

  it('writes every row with the fixture keys in their order and the fixture JSON types', async () => {
    // The fixture's MTU and the whole of its day, without a filter: presolved and redundant rows.
    const { data, totalRows } = await page(sim.origin, {
      FromUtc: '2024-12-31T23:00:00Z',
      ToUtc: '2025-01-01T23:00:00Z',
      Take: 20_000,
    });
    expect(data).toHaveLength(totalRows);
    // Checked row by row into one list of what differs (an expect per field would take half a minute).
    const problems: string[] = [];
    const check = (ok: boolean, what: () => string) => {
      if (!ok && problems.length < 20) problems.push(what());
    };
    const nStateItem = JSON.stringify((FIXTURE_EXTERNALS[0]!.contingencies as Row[])[0]);
    let nState = 0;
    let tripods = 0;
    let withTwoItems = 0;
    for (const row of data) {
      const at = `row ${row.id} (${row.cneName})`;
      check(JSON.stringify(Object.keys(row)) === JSON.stringify(FIXTURE_KEYS), () => `${at}: keys`);
      const special = isSpecial(row);
      const types = special ? EXTERNAL_TYPES : CNEC_TYPES;
      for (const [key, value] of Object.entries(row)) {
        const expected = !special && isNState(row) && N_STATE_FIELDS.has(key) ? EXTERNAL_TYPES : types;
        check(expected.get(key)?.has(jsonType(value)) === true, () => `${at}: ${key} is ${jsonType(value)}`);
      }
      const items = row.contingencies as Row[];
      items.forEach((item, index) => {
        check(JSON.stringify(Object.keys(item)) === JSON.stringify(ITEM_KEYS), () => `${at}: item keys`);
        check(item.number === index + 1, () => `${at}: item number ${item.number}`);
        for (const [key, value] of Object.entries(item))
          check(
            ITEM_TYPES.get(key)?.has(jsonType(value)) === true,
            () => `${at}: item ${key} is ${jsonType(value)}`,
          );
      });
      if (isNState(row)) {
        nState++;
        check(JSON.stringify(items[0]) === nStateItem, () => `${at}: N-state item`);
        check(row.contTso === null && row.contName === null, () => `${at}: N-state contTso/contName`);
      }
      if (items.length >= 2 && new Set(items.map((item) => item.branchEic)).size === 1) {
        if (items.length === 3) tripods++;
        else withTwoItems++;
      }
      check(row.ptdf_CH === null, () => `${at}: ptdf_CH`);
      for (const hub of CORE_PTDF_HUBS.filter((one) => one !== 'CH')) {
        const ptdf = row[`ptdf_${hub}`] as number;
        check(
          Math.abs(ptdf) <= 1 && Math.round(ptdf * 1e5) / 1e5 === ptdf,
          () => `${at}: ptdf_${hub} ${ptdf}`,
        );
      }
      for (const field of MW_FIELDS)
        check(Number.isInteger(row[field]), () => `${at}: ${field} ${row[field]}`);
      const target = row.minRamTarget as number;
      check(Math.round(target * 1000) / 1000 === target, () => `${at}: minRamTarget ${target}`);
    }
    expect(problems).toEqual([]);
    expect(nState).toBeGreaterThan(0);
    expect(tripods).toBeGreaterThan(0);
    expect(withTwoItems).toBeGreaterThan(0);
    // Most CNE names end with a space, as JAO writes them.
    const cnecs = data.filter((row) => !isSpecial(row));
    expect(cnecs.filter((row) => String(row.cneName).endsWith(' ')).length).toBe(cnecs.length);
    // The external constraints as in the fixture: "NA" where it has "NA", null where it has null, PTDF ±1 on ALBE.
    const externals = data.filter((row) => String(row.cneName).startsWith('External Constraint BE_AL'));
    expect(externals.length).toBe(2 * 24);
    for (const row of externals) {
      const real = FIXTURE_EXTERNALS.find((one) => one.cneName === row.cneName)!;
      for (const key of ['tso', 'cneEic', 'cneStatus', 'direction', 'hubFrom', 'hubTo', 'substationFrom']) {
        expect(row[key], key).toBe(real[key]);
      }
      for (const key of ['substationTo', 'elementType', 'fmaxType', 'contTso', 'contName', 'justification'])
        expect(row[key], key).toBe(real[key]);
      for (const key of ['ram', 'fmax', 'u', 'imax', 'minRamFactor', 'minRamTarget', 'ptdf_ALBE', 'ptdf_AT'])
        expect(row[key], key).toBe(real[key]);
      expect(row.contingencies).toEqual(real.contingencies);
    }
  });

  it('writes numbers as the fixture does: whole MW as 1598.0, PTDFs with five decimals', async () => {
    const { text } = await get(sim.origin, 'finalComputation', {
      FromUtc: '2024-12-31T23:00:00Z',
      ToUtc: '2025-01-01T00:00:00Z',
      Filter: PRESOLVED,
    });
    expect(text).toMatch(/"ram":-?\d+\.0,"minRamTarget":\d\.\d{1,3},"minRamFactor":\d+\.0,/);
    expect(text).not.toMatch(/"(ram|fmax|imax|u|frm|fref|fcore|fall|fuaf|amr|cva|iva|fltn)":-?\d+[,}]/);
    expect(text).not.toMatch(/"ptdf_[A-Za-z_]+":-?\d+[,}]/);
    expect(text).not.toMatch(/e-/);
    expect(text).toContain('"ptdf_ALBE":1.0,"ptdf_ALDE":0.0,');
  });

  it('serves a whole day that the domain code reads and judges complete, every identity holding', async () => {
    const day = '2025-01-01';
    const served = await readDay(sim.origin, day);
    expect(served.pages.length).toBeGreaterThanOrEqual(3);
    expect(served.rows).toHaveLength(served.announced);
    for (const row of served.rows) expect(identityBreaks(row), row.texts.cneName ?? '').toEqual([]);
    const { validated, verdict } = judged(day, served);
    expect(verdict).toEqual({ status: 'complete', reason: null });
    expect(validated.accepted).toHaveLength(served.rows.length);
    expect(validated.newHubs).toEqual([]);
    expect(validated.identityBreaks).toEqual([]);
    expect(validated.expectedMtus).toBe(24);
    // Every row of the day, presolved or not, reads too.
    const unfiltered = await readDay(sim.origin, day, { filter: '', take: 5000 });
    expect(unfiltered.rows).toHaveLength(unfiltered.announced);
    expect(new Set(unfiltered.raw.map((row) => row.id)).size).toBe(unfiltered.announced);
  });

  it('adds the nine AHC hubs PTDFs from 2026-06-11 on, never before', async () => {
    const before = await readDay(sim.origin, '2026-06-10');
    const after = await readDay(sim.origin, '2026-06-11');
    expect(Object.keys(before.raw[0]!)).toEqual(FIXTURE_KEYS);
    expect(Object.keys(after.raw[0]!)).toEqual([...FIXTURE_KEYS, ...AHC_HUBS.map((hub) => `ptdf_${hub}`)]);
    for (const row of after.raw) {
      for (const hub of AHC_HUBS) {
        const ptdf = row[`ptdf_${hub}`];
        expect(typeof ptdf).toBe('number');
        expect(Math.abs(ptdf as number)).toBeLessThanOrEqual(1);
      }
    }
    expect(judged('2026-06-10', before).validated.newHubs).toEqual([]);
    const { validated, verdict } = judged('2026-06-11', after);
    expect(verdict.status).toBe('complete');
    expect(validated.newHubs).toEqual([...AHC_HUBS].sort());
  });

  it('serves DST days with 23 and 25 hourly MTUs', async () => {
    for (const [day, hours] of [
      ['2026-03-29', 23],
      ['2026-10-25', 25],
    ] as const) {
      const served = await readDay(sim.origin, day);
      expect(new Set(served.rows.map((row) => row.mtu)).size).toBe(hours);
      const { validated, verdict } = judged(day, served);
      expect([day, verdict.status, validated.expectedMtus]).toEqual([
        day,
        'complete',
        expectedMtuCount(day, 60),
      ]);
    }
  });

  it('serves the three computations in one shape with values of their own', async () => {
    const params = { FromUtc: '2026-11-20T23:00:00Z', ToUtc: '2026-11-21T00:00:00Z', Take: 10_000 };
    const final = await page(sim.origin, params);
    for (const endpoint of ['initialComputation', 'preFinalComputation']) {
      const other = await page(sim.origin, params, endpoint);
      expect(Object.keys(other)).toEqual(ENVELOPE_KEYS);
      expect(Object.keys(other.data[0]!)).toEqual(Object.keys(final.data[0]!));
      expect(other.data.map((row) => row.ram)).not.toEqual(final.data.map((row) => row.ram));
    }
  });

  it('publishes nothing before Core flow-based go-live (2022-06-09)', async () => {
    const before = await page(sim.origin, { ...dayParams('2022-06-08'), Take: 0 });
    expect([before.totalRows, before.totalRowsWithFilter]).toEqual([0, 0]);
    const first = await page(sim.origin, { ...dayParams('2022-06-09'), Take: 0 });
    expect(first.totalRows).toBeGreaterThan(0);
  });
});

describe('flow-based domain: publication, partial days, revisions, a count changing while paging', () => {
  let sim: SimulatorHandle;
  let now = new Date('2026-11-21T06:00:00Z');
  const DAY = '2026-11-22';
  beforeAll(async () => {
    sim = await simulator({ now: () => now, publicationTime: '08:00' });
  });

  it('answers no rows before the publication time, a partial day, then the whole day', async () => {
    const probe = () => page(sim.origin, { ...dayParams(DAY), Skip: 0, Take: 0, Filter: PRESOLVED });
    expect((await probe()).totalRowsWithFilter).toBe(0);
    const empty = await page(sim.origin, { ...dayParams(DAY), Skip: 0, Take: 100, Filter: PRESOLVED });
    expect(empty).toMatchObject({ data: [], totalRows: 0, totalRowsWithFilter: 0, lastModifiedOn: null });

    const set = await control(sim.origin, 'partial', { day: DAY, hours: 6, endpoint: 'finalComputation' });
    expect(set).toMatchObject({ day: DAY, endpoints: { finalComputation: { published: false } } });
    now = new Date('2026-11-21T07:30:00Z'); // 08:30 in Amsterdam: published, the first 6 hours only
    const partial = await readDay(sim.origin, DAY);
    expect(new Set(partial.rows.map((row) => row.mtu)).size).toBe(6);
    const first = judged(DAY, partial);
    expect(first.verdict.status).toBe('partial');
    expect(first.validated.missingMtus).toHaveLength(18);

    now = new Date('2026-11-21T09:00:00Z');
    const completed = await control(sim.origin, 'complete', { day: DAY, endpoint: 'finalComputation' });
    expect(completed).toMatchObject({
      endpoints: { finalComputation: { published: true, visibleHours: null } },
    });
    const whole = await readDay(sim.origin, DAY);
    expect(judged(DAY, whole).verdict.status).toBe('complete');
    // The rows already published keep their ids; the later hours were modified when the day completed.
    const early = new Set(partial.raw.map((row) => row.id));
    expect(whole.raw.filter((row) => early.has(row.id))).toHaveLength(partial.raw.length);
    expect(whole.pages.at(-1)!.lastModifiedOn).toBe(now.toISOString());
    const firstHour = await page(sim.origin, {
      FromUtc: dayParams(DAY).FromUtc,
      ToUtc: new Date(dayStartMs(DAY) + 3_600_000).toISOString(),
      Filter: PRESOLVED,
    });
    expect(Date.parse(firstHour.lastModifiedOn!)).toBeLessThan(Date.parse('2026-11-21T07:00:00Z'));
  });

  it('completes a partial day by itself at the instant given', async () => {
    const day = '2026-11-20';
    await control(sim.origin, 'partial', { day, hours: 3, completeAt: '2026-11-21T10:00:00Z' });
    const hours = async () => new Set((await readDay(sim.origin, day)).rows.map((row) => row.mtu)).size;
    expect(await hours()).toBe(3);
    const netPos = await page(sim.origin, dayParams(day), 'netPos');
    expect(netPos.data).toHaveLength(3 * 4);
    now = new Date('2026-11-21T10:00:00Z');
    expect(await hours()).toBe(24);
  });

  it('publishes and withholds a day through the control routes', async () => {
    const day = '2026-11-23';
    const count = async () =>
      (await page(sim.origin, { ...dayParams(day), Take: 0, Filter: PRESOLVED })).totalRowsWithFilter;
    expect(await count()).toBe(0);
    await control(sim.origin, 'publish', { day, at: '2026-11-21T09:30:00Z' });
    expect(await count()).toBeGreaterThan(0);
    const first = await page(sim.origin, { ...dayParams(day), Take: 10, Filter: PRESOLVED });
    expect(first.lastModifiedOn).toBe('2026-11-21T09:30:00.000Z');
    await control(sim.origin, 'unpublish', { day, endpoint: 'finalComputation' });
    expect(await count()).toBe(0);
    const state = (await (await fetch(`${sim.origin}/_simulator/flowbased?day=${day}`)).json()) as Row;
    expect(state).toMatchObject({
      day,
      endpoints: { finalComputation: { published: false }, netPos: { published: true } },
    });
  });

  it('serves only the latest version after a revision: new ids, changed values, the same constraint keys', async () => {
    const day = '2026-11-19';
    const before = await readDay(sim.origin, day, { filter: '', take: 20_000 });
    now = new Date('2026-11-21T11:00:00Z');
    const revised = await control(sim.origin, 'revise', { day, endpoint: 'finalComputation' });
    expect(revised).toMatchObject({ endpoints: { finalComputation: { version: 2 } } });
    const after = await readDay(sim.origin, day, { filter: '', take: 20_000 });
    expect(judged(day, await readDay(sim.origin, day)).verdict.status).toBe('complete');

    const slot = (row: ConstraintRow) => `${constraintKeyOf(row)}@${row.mtu}`;
    const content = ({ jaoId: _id, ...rest }: ConstraintRow) => JSON.stringify(rest);
    const old = new Map(before.rows.map((row) => [slot(row), row]));
    const oldIds = new Set(before.rows.map((row) => row.jaoId));
    expect(after.rows.filter((row) => oldIds.has(row.jaoId))).toEqual([]);
    expect(Math.min(...after.rows.map((row) => row.jaoId))).toBeGreaterThan(Math.max(...oldIds));
    let same = 0;
    let changed = 0;
    let added = 0;
    for (const row of after.rows) {
      const earlier = old.get(slot(row));
      if (!earlier) added++;
      else if (content(earlier) === content(row)) same++;
      else {
        changed++;
        expect(row.texts).toEqual(earlier.texts);
        expect(row.contingencies).toEqual(earlier.contingencies);
      }
    }
    expect(same).toBeGreaterThan(after.rows.length / 2);
    expect(changed).toBeGreaterThan(0);
    const vanished = before.rows.length - (after.rows.length - added);
    expect(added + vanished).toBeGreaterThan(0);
    const last = await page(sim.origin, { ...dayParams(day), Take: 5 });
    expect(last.lastModifiedOn).toBe(now.toISOString());
    // The other computations keep their version.
    const state = (await (await fetch(`${sim.origin}/_simulator/flowbased?day=${day}`)).json()) as Row;
    expect(state).toMatchObject({
      endpoints: { finalComputation: { version: 2 }, initialComputation: { version: 1 } },
    });
  });

  it('changes the count while a client pages, once the first page was served', async () => {
    const day = '2026-11-18';
    const armed = await control(sim.origin, 'countChange', { day, endpoint: 'finalComputation' });
    expect(armed).toMatchObject({ endpoints: { finalComputation: { countChange: 'armed' } } });
    const base = { ...dayParams(day), Filter: PRESOLVED };
    const probe = await page(sim.origin, { ...base, Skip: 0, Take: 0 });
    const again = await page(sim.origin, { ...base, Skip: 0, Take: 0 });
    expect(again.totalRowsWithFilter).toBe(probe.totalRowsWithFilter);
    const first = await page(sim.origin, { ...base, Skip: 0, Take: 1000 });
    expect(first.totalRowsWithFilter).toBe(probe.totalRowsWithFilter);
    const second = await page(sim.origin, { ...base, Skip: 1000, Take: 1000 });
    expect(second.totalRowsWithFilter).toBe(probe.totalRowsWithFilter + 24);
    // The added constraint's rows come first in each hour: rows shift, a client reading on sees some twice.
    const seen = new Set(first.data.map((row) => row.id));
    expect(second.data.some((row) => seen.has(row.id))).toBe(true);
    const state = (await (await fetch(`${sim.origin}/_simulator/flowbased?day=${day}`)).json()) as Row;
    expect(state).toMatchObject({ endpoints: { finalComputation: { countChange: 'fired' } } });
    const whole = await readDay(sim.origin, day);
    expect(judged(day, whole).verdict.status).toBe('complete');
    expect(whole.rows.filter((row) => row.texts.cneName === 'Borssele - Rilland 380 Zwart ')).toHaveLength(
      24,
    );
  });

  it('refuses control calls it cannot read', async () => {
    const bad = [
      ['revise', 'day=2026-02-30'],
      ['partial', 'day=2026-11-22'],
      ['countChange', 'day=2026-11-22&endpoint=netPos'],
      ['publish', 'day=2026-11-22&endpoint=maxExchanges'],
    ];
    for (const [action, query] of bad) {
      const response = await fetch(`${sim.origin}/_simulator/flowbased/${action}?${query}`, {
        method: 'POST',
      });
      expect(response.status, `${action}?${query}`).toBe(400);
    }
  });
});

describe('flow-based netPos', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await simulator();
  });

  const sumTenths = (row: Row) =>
    Object.entries(row)
      .filter(([key]) => key.startsWith('hub_'))
      .reduce((sum, [, value]) => sum + Math.round((value as number) * 10), 0);

  it('answers the fixture window in the fixture shape: envelope, keys in order, one decimal, sum 0', async () => {
    const answer = await get(sim.origin, 'netPos', {
      FromUtc: '2026-08-09T00:00:00Z',
      ToUtc: '2026-08-09T00:15:00Z',
    });
    expect(answer.status).toBe(200);
    const envelope = answer.json as Row;
    expect(Object.keys(envelope)).toEqual(Object.keys(NET_POS_FIXTURE));
    expect([envelope.rejected, envelope.messages]).toEqual([false, null]);
    const rows = envelope.data as Row[];
    const real = (NET_POS_FIXTURE.data as Row[])[0]!;
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!)).toEqual(Object.keys(real));
    for (const [key, value] of Object.entries(rows[0]!))
      expect(jsonType(value), key).toBe(jsonType(real[key]));
    expect(rows[0]!.dateTimeUtc).toBe(real.dateTimeUtc);
    expect(sumTenths(rows[0]!)).toBe(0);
    expect(sumTenths(real)).toBe(0);
    expect(answer.text).toMatch(
      /^\{"data":\[\{"id":\d+,"dateTimeUtc":"2026-08-09T00:00:00Z","hub_ALBE":-?\d+\.\d,/,
    );
    expect(answer.text).not.toMatch(/"hub_[A-Za-z0-9_]+":-?\d+[,}]/);
  });

  it('is hourly before 2025-10-01 and quarter-hourly from it, AHC hubs from 2026-06-11, every row summing to 0', async () => {
    const expectations: Array<[DeliveryDay, number, number]> = [
      ['2025-03-30', 23, 14],
      ['2025-09-30', 24, 14],
      ['2025-10-01', 96, 14],
      ['2025-10-26', 100, 14],
      ['2026-03-29', 92, 14],
      ['2026-06-10', 96, 14],
      ['2026-06-11', 96, 23],
    ];
    for (const [day, mtus, hubs] of expectations) {
      const { data } = await page(sim.origin, dayParams(day), 'netPos');
      expect([day, data.length]).toEqual([day, mtus]);
      const step = mtus > 25 ? 900_000 : 3_600_000;
      expect(Date.parse(String(data[1]!.dateTimeUtc)) - Date.parse(String(data[0]!.dateTimeUtc))).toBe(step);
      for (const row of data) {
        expect(Object.keys(row).filter((key) => key.startsWith('hub_'))).toHaveLength(hubs);
        expect(sumTenths(row)).toBe(0);
        for (const [key, value] of Object.entries(row))
          if (key.startsWith('hub_')) expect(Math.round((value as number) * 10) / 10).toBe(value);
      }
      // A running counter: one id per MTU.
      const ids = data.map((row) => row.id as number);
      expect(ids).toEqual(ids.map((_, i) => ids[0]! + i));
    }
  });

  it('refuses a window over 2 days with JAO refusal', async () => {
    const answer = await get(sim.origin, 'netPos', {
      FromUtc: '2026-08-01T00:00:00Z',
      ToUtc: '2026-08-04T00:00:00Z',
    });
    expect([answer.status, answer.json]).toEqual([400, REFUSAL]);
  });
});
