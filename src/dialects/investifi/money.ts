// Money as exact decimal strings with two decimals. Values are summed as integer cents in
// BigInt: a float would turn 0.10 + 0.20 into 0.30000000000000004.

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

export function toCents(value: string): bigint {
  const m = DECIMAL.exec(value);
  if (!m) throw new Error(`not a two-decimal amount: ${value}`);
  const cents = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -cents : cents;
}

export function fromCents(cents: bigint): string {
  const abs = cents < 0n ? -cents : cents;
  return `${cents < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export const sumAmounts = (values: readonly string[]): string => fromCents(values.reduce((sum, v) => sum + toCents(v), 0n));
