import { randomBytes, randomUUID } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_EPOCH = 1_400_000_000;

/** A KSUID: 4 bytes of seconds since 2014-05-13 and 16 random bytes, base62, 27 chars. */
export function ksuid(at: Date = new Date(), random: Buffer = randomBytes(16)): string {
  const bytes = Buffer.alloc(20);
  bytes.writeUInt32BE(Math.max(0, Math.floor(at.getTime() / 1000) - KSUID_EPOCH), 0);
  random.copy(bytes, 4, 0, 16);
  let n = BigInt('0x' + bytes.toString('hex'));
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(27, '0');
}

export const KSUID_PATTERN = /^[0-9A-Za-z]{27}$/;
export const uuid = (): string => randomUUID();

/** A random base62 string, for secrets (rejection sampling keeps it unbiased). */
export function randomToken(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length)) if (b < 248 && out.length < length) out += BASE62[b % 62];
  }
  return out;
}
