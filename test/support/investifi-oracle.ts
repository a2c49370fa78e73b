import { generateCustomers } from '../../src/seed/generate.ts';
import { ordered } from './order.ts';

// The InvestiFi user list computed in memory from the records a test seeded or created: who is
// a user, how each one renders, and the order a list must return.

export interface OracleAccount {
  product: string;
  kyc_status: string;
  kyc_approved_at: string | null;
  current_market_value: string;
}
export interface OracleRecord {
  id: string;
  number: number;
  external_id: string | null;
  created_at: string;
  deleted: boolean;
  product_accounts: OracleAccount[];
}

export function seededRecords(count: number, seed: number, firstNumber: number): OracleRecord[] {
  return [...generateCustomers({ count, seed, firstNumber })].map((c) => ({
    id: c.id,
    number: c.number,
    external_id: c.external_id,
    created_at: c.created_at.toISOString(),
    deleted: c.deleted_at !== null,
    product_accounts: c.product_accounts.map((p) => ({ ...p, kyc_approved_at: p.kyc_approved_at?.toISOString() ?? null })),
  }));
}

/** A record as /v1 returned it after a create. */
export function createdRecord(c: Record<string, any>): OracleRecord {
  return { id: c.id, number: c.number, external_id: c.external_id, created_at: c.created_at, deleted: false, product_accounts: c.product_accounts };
}

export const userAccountId = (r: OracleRecord) => r.external_id ?? r.id;

const instant = (iso: string) => {
  const ms = new Date(iso).getUTCMilliseconds();
  return new Date(iso).toISOString().slice(0, 19) + (ms ? `.${String(ms).padStart(3, '0')}000` : '') + 'Z';
};

/** Cents as an exact string, computed independently of the code under test. */
function sum(values: string[]): string {
  let cents = 0n;
  for (const v of values) {
    const [whole, frac = ''] = v.replace('-', '').split('.');
    const c = BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0'));
    cents += v.startsWith('-') ? -c : c;
  }
  const abs = cents < 0n ? -cents : cents;
  return `${cents < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export function render(r: OracleRecord) {
  const accounts = [...r.product_accounts]
    .sort((a, b) => (a.product < b.product ? -1 : 1))
    .map((p) => ({
      current_market_value: p.current_market_value,
      ...(p.kyc_status === 'approved' && p.kyc_approved_at ? { kyc_approved_at: instant(p.kyc_approved_at) } : {}),
      kyc_status: p.kyc_status,
      product: p.product,
    }));
  return { accounts, total_current_market_value: sum(accounts.map((a) => a.current_market_value)), user_account_id: userAccountId(r) };
}

export const isUser = (r: OracleRecord) => !r.deleted && r.product_accounts.length > 0;

export function oracleOrder(records: OracleRecord[], key: 'created_at' | 'user_account_id', dir: 'asc' | 'desc'): OracleRecord[] {
  return ordered(records, [{ value: key === 'created_at' ? (r) => new Date(r.created_at).getTime() : userAccountId, dir }]);
}
