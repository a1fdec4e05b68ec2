// docs/reference/data-dictionary.md: every dataset from its declaration (domain/datasets/).
import {
  allDeclaredZones,
  constraintFieldsOf,
  type DatasetDeclaration,
  DECLARATIONS,
  dataPathOf,
  publishedEmptyKeysOf,
} from '../../domain/datasets';
import { DEFAULT_DATASET } from '../../domain/datasets/compat';
import { describeDeadline } from '../../domain/freshnessDeadline';
import { windowInWords } from '../../domain/publicationWindow';
import { patternList } from '../../domain/seriesKeys';
import { code, factsTable, generatedNotice, listOrNone, page, table } from './markdown';

function datasetSection(declaration: DatasetDeclaration): string[] {
  const resolutions = declaration.resolutions
    .map((period) => `${period.minutes} minutes from ${period.from}`)
    .join('; ');
  const extraFields = declaration.extraRowFields.map(
    (field) => `${code(field.name)} (${field.kind}): ${field.description}`,
  );
  const emptyKeys = publishedEmptyKeysOf(declaration);
  return [
    `## ${declaration.id}`,
    '',
    declaration.description,
    '',
    ...factsTable([
      ['id', code(declaration.id)],
      ['title', declaration.title],
      ['JAO path', code(dataPathOf(declaration))],
      ['region / endpoint', code(`${declaration.region}/${declaration.endpoint}`)],
      [
        'unit',
        [
          declaration.unit,
          ...Object.entries(declaration.patternUnits ?? {}).map(
            ([pattern, unit]) => `${unit} for ${code(pattern)}`,
          ),
        ].join('; '),
      ],
      ['time zone of the delivery day', declaration.timeZone],
      ['resolution', resolutions],
      ['first day', `${declaration.firstDay} (${declaration.firstDayName})`],
      ['first day source', declaration.firstDaySource],
      [
        'rows',
        declaration.rowKind === 'keyedValues' ? 'keyed values: one value per key and MTU' : 'constraints',
      ],
      ['keys', patternList(declaration.keyPattern).map(code).join(', ')],
      [
        patternList(declaration.keyPattern).some((pattern) => pattern.endsWith('{HUB}')) ? 'hubs' : 'zones',
        listOrNone(declaration.zones.map(code), ', ', 'none (the key names none)'),
      ],
      ...(declaration.addedZones ?? []).map((added): [string, string] => [
        `added from ${added.from}`,
        `${added.zones.map(code).join(', ')} (${added.reason})`,
      ]),
      [
        'values',
        declaration.valueSign === 'signed'
          ? 'signed: negative values are kept'
          : 'not negative: a negative value is refused (value_negative)',
      ],
      ['extra row fields', listOrNone(extraFields, '; ')],
      ['extra envelope fields', listOrNone(declaration.envelopeFields.map(code))],
      ['published-empty keys', listOrNone(emptyKeys.map(code))],
      ['published-empty meaning', declaration.publishedEmpty?.meaning],
      ...(declaration.publishedNull
        ? [['nulls', `published on purpose: ${declaration.publishedNull.meaning}`] as [string, string]]
        : []),
      ...(declaration.sparse ? [['rows', `sparse: ${declaration.sparse.meaning}`] as [string, string]] : []),
      ...constraintFieldRows(declaration),
      ['publication window', windowInWords(declaration.publication.window)],
      ['freshness deadline', describeDeadline(declaration.publication.deadline)],
      ['typical publication', declaration.publication.typical],
    ]),
    '',
  ];
}

/** How a constraint dataset's rows spell their fields, mapped to the stored form (docs/constraints.md). */
function constraintFieldRows(declaration: DatasetDeclaration): Array<[string, string]> {
  if (declaration.rowKind !== 'constraints') return [];
  const fields = constraintFieldsOf(declaration);
  const renames = Object.entries(fields.renames).map(([from, to]) => `${code(from)} → ${code(to)}`);
  const extra = Object.entries(fields.extra).map(([name, kind]) => `${code(name)} (${kind})`);
  return [
    ['request filter', fields.filter === null ? 'none' : code(`Filter=${JSON.stringify(fields.filter)}`)],
    [
      'presolved flag',
      fields.presolvedFlag === null ? `none: ${fields.presolvedWhy}` : code(fields.presolvedFlag),
    ],
    ['PTDF columns', code(`${fields.ptdfPrefix}<hub>`)],
    [
      'contingency',
      fields.contingency.form === 'list'
        ? `${code('contingencies[]')}, one item per outaged branch`
        : `flat: ${code(fields.contingency.branchEic)}, stored as one branch`,
    ],
    ['renamed fields', listOrNone(renames)],
    ['fields not published', listOrNone(fields.absent.map(code))],
    ['extra fields kept (extra)', listOrNone(extra)],
    [
      'every MTU has rows',
      fields.everyMtuHasRows ? 'yes' : 'no: a complete day is every announced row stored',
    ],
  ];
}

export function renderDataDictionary(): string {
  return page([
    generatedNotice('the dataset declarations of domain/datasets/'),
    '',
    '# Data dictionary',
    '',
    'The datasets the pipeline knows, one declaration each (domain/datasets/), in declaration order. Delivery days',
    `are Europe/Amsterdam dates, MTUs UTC instants, values in each dataset's unit. The default dataset is ${code(DEFAULT_DATASET)}.`,
    '',
    ...table(
      ['id', 'JAO path', 'unit', 'first day', 'resolution now', 'zones or hubs', 'published-empty keys'],
      DECLARATIONS.map((declaration: DatasetDeclaration) => [
        `[${declaration.id}](#${declaration.id.toLowerCase()})`,
        code(dataPathOf(declaration)),
        [declaration.unit, ...Object.values(declaration.patternUnits ?? {})].join(', '),
        declaration.firstDay,
        `${declaration.resolutions.at(-1)!.minutes} minutes`,
        allDeclaredZones(declaration).length,
        publishedEmptyKeysOf(declaration).length,
      ]),
    ),
    '',
    ...DECLARATIONS.flatMap(datasetSection),
    '## Consumer tables and views',
    '',
    'The columns of the tables, views and functions that `jao_reader` reads are declared by the database',
    "migrations' COMMENTs (db/migrations/), not in TypeScript: `npx jao catalogue --markdown` prints them, with",
    'the series and the coverage of each dataset, from a live database.',
  ]);
}
