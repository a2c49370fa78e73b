// Seeded randomness for demo data, so structure and ids never depend on Math.random.

/** Floats in [0, 1) from the seeded generator below. */
export function prng(seed: number, stream = 0): () => number {
  const next = words(seed, stream);
  return () => next() / 4294967296;
}

/**
 * xoshiro128**: unsigned 32-bit words from 128 bits of state, the four state words drawn by
 * splitmix32 from the seed and the stream. A load is generated in batches, each its own stream:
 * with 32 bits of state (mulberry32, used before) every stream was a stretch of one cycle of
 * 2^32 words, and of the 500 batches of a 10M load 51 pairs started within 800,000 draws of each
 * other (a batch takes several hundred thousand): where one ran into the other, it repeated the
 * other's uuids and ids. Streams of a 128-bit state do not meet.
 */
export function words(seed: number, stream = 0): () => number {
  const mix = splitmix32((seed >>> 0) ^ Math.imul(stream >>> 0, 0x9e3779b1));
  const more = splitmix32(~stream >>> 0);
  let s0 = mix();
  let s1 = mix();
  let s2 = (mix() ^ more()) >>> 0;
  let s3 = (mix() ^ more()) >>> 0;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  return () => {
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return r;
  };
}

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/** splitmix32: a seed expanded into well-mixed words, to fill a generator's state. */
function splitmix32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}
