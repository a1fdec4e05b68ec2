// Hub keys as JAO publishes net positions: `hub_{HUB}`, one per bidding zone or virtual hub. A hub name holds letters
// of either case, digits and underscores (AT, ALBE, DE_DK1_VH, NL_NO2_NorNed); domain/seriesKeys.ts reads them.
export const HUB_KEY_PREFIX = 'hub_';

export function hubKey(hub: string): string {
  return `${HUB_KEY_PREFIX}${hub}`;
}
