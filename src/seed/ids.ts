// Ids for seeded records, built from seeded random words. The KSUIDs are exactly what
// core/ids.ts's ksuid() makes from the same time and bytes, without its BigInt arithmetic:
// the seed makes two per customer, and BigInt division was a fifth of generation time.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_EPOCH = 1_400_000_000;
/** Two base62 digits per entry: one lookup per 62² of the number. */
const PAIRS = Array.from({ length: 62 * 62 }, (_, i) => BASE62[Math.floor(i / 62)] + BASE62[i % 62]);
const DIVISOR = 62 ** 3;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const limbs = new Float64Array(5);
const digits: string[] = new Array(9);

/** A KSUID of a time (ms) and 16 random bytes given as four big-endian 32-bit words. */
export function ksuidOf(ms: number, w0: number, w1: number, w2: number, w3: number): string {
  // The 160-bit number as five 32-bit limbs, most significant first. Long division by 62³ keeps
  // every step within a double's exact integer range (< 62³ · 2³² < 2⁵³), and nine rounds of
  // three digits are exactly the 27 a KSUID has.
  limbs[0] = Math.max(0, Math.floor(ms / 1000) - KSUID_EPOCH);
  limbs[1] = w0;
  limbs[2] = w1;
  limbs[3] = w2;
  limbs[4] = w3;
  let top = 0;
  for (let round = 8; round >= 0; round--) {
    while (top < 4 && limbs[top] === 0) top++;
    let rem = 0;
    for (let i = top; i < 5; i++) {
      const cur = rem * 4294967296 + limbs[i];
      const q = Math.floor(cur / DIVISOR);
      limbs[i] = q;
      rem = cur - q * DIVISOR;
    }
    const hi = Math.floor(rem / 3844);
    digits[round] = BASE62[hi] + PAIRS[rem - hi * 3844];
  }
  return digits.join('');
}

const hex32 = (w: number) => HEX[w >>> 24] + HEX[(w >>> 16) & 255] + HEX[(w >>> 8) & 255] + HEX[w & 255];

/** A version 4 (random) UUID from four random 32-bit words. */
export function uuidOf(w0: number, w1: number, w2: number, w3: number): string {
  const b = hex32(w1);
  const c = hex32(w2);
  return `${hex32(w0)}-${b.slice(0, 4)}-4${b.slice(5)}-${'89ab'[(w2 >>> 24) & 3]}${c.slice(1, 4)}-${c.slice(4)}${hex32(w3)}`;
}
