// Deterministic numbers for the flow-based simulator: the same inputs give the same value on every run.

/** FNV-1a of a text: a 32-bit seed for a name. */
export function textHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** A well-mixed 32-bit hash of integers (each taken modulo 2^32). */
export function mixAll(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Instants in ms exceed 32 bits: fold the high part in as well.
    const low = part >>> 0;
    const high = Math.floor(part / 4_294_967_296) >>> 0;
    h = Math.imul(h ^ low, 0x85ebca6b) ^ Math.imul(high + 0x27d4eb2f, 0xc2b2ae35);
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x846ca68b);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A number in [0, 1) drawn from integers. */
export function unitOf(...parts: number[]): number {
  return mixAll(...parts) / 4_294_967_296;
}

/** A stream of numbers in [0, 1) from one seed: draws for one row, in a fixed order. */
export function drawsFrom(seed: number): () => number {
  let counter = 0;
  return () => unitOf(seed, counter++);
}
