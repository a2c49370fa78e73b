// Seeded randomness for demo data, so structure and ids never depend on Math.random.

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  const next = words(seed);
  return () => next() / 4294967296;
}

/** The same generator as raw unsigned 32-bit words: ids and uuids take them without a float round trip. */
export function words(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
