// The flow-based simulator's network model (simulator/flowBased/networkModel.json): read as it is, and a malformed
// file refused in one line naming the file and the place.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NETWORK_MODEL, NETWORK_MODEL_FILE, parseNetworkModel } from '../../simulator/flowBased/networkModel';

const FILE = 'networkModel.json';
const source = readFileSync(NETWORK_MODEL_FILE, 'utf8');

/** The file's document with one change made to it. */
function edited(
  change: (document: Record<string, unknown> & { elements: Record<string, unknown>[] }) => void,
) {
  const document = JSON.parse(source);
  change(document);
  return JSON.stringify(document);
}

function refusal(text: string): string {
  try {
    parseNetworkModel(text, FILE);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the text was accepted');
}

describe('the network model', () => {
  it('keeps names as published, trailing spaces included', () => {
    const { elements } = JSON.parse(source) as { elements: Array<{ name: string }> };
    expect(NETWORK_MODEL.elements.map((e) => e.name)).toEqual(elements.map((e) => e.name));
    expect(NETWORK_MODEL.elements.filter((e) => e.name.endsWith(' ')).length).toBeGreaterThan(0);
  });

  it('refuses a malformed file in one line naming the file and the place', () => {
    const cases: Array<[string, string]> = [
      ['{"elements": [', `${FILE} is not JSON: `],
      [
        edited((d) => {
          d.elements[2]!.eic = '10T-BE-FR';
        }),
        `${FILE} is malformed at elements[2].eic: `,
      ],
      [
        edited((d) => {
          delete (d.tsos as Record<string, unknown>).ELIA;
        }),
        `${FILE} is malformed at tsos.ELIA: `,
      ],
      [
        edited((d) => {
          d.elements[0]!.tso = 'NOBODY';
        }),
        `${FILE} is malformed at elements[0].tso: `,
      ],
      [
        edited((d) => {
          d.elements[0]!.extra = 1;
        }),
        `${FILE} is malformed at elements[0]: `,
      ],
    ];
    for (const [text, start] of cases) {
      const message = refusal(text);
      expect(message.startsWith(start), message).toBe(true);
      expect(message).not.toContain('\n');
    }
  });
});
