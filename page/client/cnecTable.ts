// The table of an hour's presolved CNECs (domainData.ts hourLines: the most limiting first); a CNEC's button, or a
// click anywhere on its row, asks for its RAM over time.

import { h, tableHead } from './dom';
import { type CnecLine, CONSTRAINT_GROUPS, mwText, ptdfText } from './domainData';

const HEADERS = [
  'Rank',
  'TSO',
  'CNE',
  'Direction',
  'Contingency',
  'RAM (MW)',
  'Fmax (MW)',
  'Largest |PTDF| (hub)',
  'Revision',
] as const;
const NUMERIC = new Set<string>(['Rank', 'RAM (MW)', 'Fmax (MW)', 'Largest |PTDF| (hub)', 'Revision']);

/** The table of `lines`, captioned; `chosen` is the constraint whose RAM is drawn (its row marked). */
export function cnecTable(
  lines: readonly CnecLine[],
  caption: string,
  chosen: number | null,
  choose: (line: CnecLine) => void,
): HTMLTableElement {
  const bodies = CONSTRAINT_GROUPS.flatMap((group) => {
    const mine = lines.filter((line) => line.kind === group.kind);
    if (mine.length === 0) return [];
    return h(
      'tbody',
      { 'data-kind': group.kind },
      h(
        'tr',
        { class: 'group' },
        h(
          'th',
          { scope: 'rowgroup', colspan: HEADERS.length },
          h('strong', {}, `${group.title} (${mine.length})`),
          `: ${group.explanation}`,
        ),
      ),
      ...mine.map((line, index) => lineRow(line, index, chosen, choose)),
    );
  });
  return h(
    'table',
    { class: 'cnecs' },
    h('caption', {}, caption),
    tableHead(HEADERS, (header) => (NUMERIC.has(header) ? 'number' : undefined)),
    ...bodies,
  );
}

/** A constraint's row, ranked within its group; a click draws its RAM. */
function lineRow(
  line: CnecLine,
  index: number,
  chosen: number | null,
  choose: (line: CnecLine) => void,
): HTMLTableRowElement {
  const isChosen = line.constraintId === chosen;
  const button = h(
    'button',
    {
      type: 'button',
      class: 'cnec',
      'aria-pressed': String(isChosen),
      title: `Draw the RAM of ${line.cneName} over time`,
    },
    line.cneName,
  );
  const row = h(
    'tr',
    {
      'data-constraint-id': line.constraintId,
      'data-kind': line.kind,
      class: isChosen ? 'chosen' : undefined,
    },
    h('td', { class: 'number' }, String(index + 1)),
    h('td', {}, line.tso),
    h('th', { scope: 'row' }, button),
    h('td', {}, line.direction),
    h('td', {}, line.contingency),
    h('td', { class: 'number' }, mwText(line.ram)),
    h('td', { class: 'number' }, mwText(line.fmax)),
    h('td', { class: 'number' }, ptdfText(line.largest)),
    h('td', { class: 'number' }, String(line.revision)),
  );
  row.addEventListener('click', () => choose(line));
  return row;
}
