// The constraints of one version of a day and the version of each one's values. A revision k of a day drops a few
// constraints, adds a few from the catalogue's reserve, and changes the values (RAM, PTDFs…) of about a fifth of
// the rest; the others keep their values, so their rows differ only by id. All of it follows from the day, the
// revision and the computation's salt.
import type { DeliveryDay } from '../../domain/types';
import type { Constraint, ConstraintCatalogue } from './constraints';
import { textHash, unitOf } from './hash';

const VANISH_SHARE = 0.01;
const APPEAR_SHARE = 0.05;
const TOUCH_SHARE = 0.2;

export interface DayConstraints {
  constraints: readonly Constraint[];
  /** The revision that last changed each constraint's values (0: as first published), by position. */
  epochs: readonly number[];
}

const caches = new WeakMap<ConstraintCatalogue, Map<string, DayConstraints>>();
const CACHE_LIMIT = 64;

/** The constraints of `day` after `revisions` revisions, in the catalogue's order. */
export function dayConstraints(
  catalogue: ConstraintCatalogue,
  day: DeliveryDay,
  revisions: number,
  salt: number,
): DayConstraints {
  const key = `${day} ${revisions} ${salt}`;
  let cache = caches.get(catalogue);
  if (cache === undefined) {
    cache = new Map();
    caches.set(catalogue, cache);
  }
  const cached = cache.get(key);
  if (cached) return cached;
  const dayHash = textHash(day);
  const draw = (c: Constraint, revision: number, purpose: number) =>
    unitOf(c.seed, dayHash, revision, salt, purpose);
  const constraints: Constraint[] = [];
  const epochs: number[] = [];
  const epochOf = (c: Constraint, from: number) => {
    let epoch = 0;
    for (let k = from; k <= revisions; k++) if (draw(c, k, 2) < TOUCH_SHARE) epoch = k;
    return epoch;
  };
  for (const c of catalogue.base) {
    let vanished = false;
    // External and equality constraints never vanish.
    for (let k = 1; k <= revisions && c.kind === 'cnec'; k++)
      if (draw(c, k, 0) < VANISH_SHARE) vanished = true;
    if (vanished) continue;
    constraints.push(c);
    epochs.push(epochOf(c, 1));
  }
  for (const c of catalogue.reserve) {
    let appearedAt = 0;
    for (let k = 1; k <= revisions && appearedAt === 0; k++) if (draw(c, k, 1) < APPEAR_SHARE) appearedAt = k;
    if (appearedAt === 0) continue;
    constraints.push(c);
    epochs.push(Math.max(appearedAt, epochOf(c, appearedAt)));
  }
  const result = { constraints, epochs };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, result);
  return result;
}
