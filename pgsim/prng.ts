/**
 * A seeded pseudo-random source (mulberry32): the same seed gives the same
 * sequence, so a fault run can be replayed. Not for anything secret.
 */
export interface Prng {
  /** The seed of the current sequence. */
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Restarts the sequence from `seed`. */
  reseed(seed: number): void;
}

export function createPrng(seed: number): Prng {
  let current = seed >>> 0;
  let state = current;
  return {
    get seed() {
      return current;
    },
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    },
    reseed(seed) {
      current = seed >>> 0;
      state = current;
    },
  };
}

/** A fresh 32-bit seed from the system's secure source. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}
