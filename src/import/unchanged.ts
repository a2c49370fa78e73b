import { isDeepStrictEqual } from 'node:util';
import type { Customer, CustomerInput } from '../core/model.ts';

// Whether writing `patch` over `current` would change nothing: then an import leaves the record
// alone (no write, no event), which makes running a file again cheap. Only a sure "same" counts;
// anything in doubt is written, which is always correct.

const cents = (v: string) => {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(v);
  return m ? `${m[1]}${BigInt(m[2])}.${(m[3] ?? '').padEnd(2, '0')}` : v;
};
const instant = (v: string | null | undefined) => (v ? new Date(v).toISOString() : null);
const products = (list: CustomerInput['product_accounts'] | Customer['product_accounts']) =>
  [...(list ?? [])]
    .map((p) => ({ product: p.product, kyc_status: p.kyc_status, kyc_approved_at: instant(p.kyc_approved_at), current_market_value: cents(p.current_market_value) }))
    .sort((a, b) => (a.product < b.product ? -1 : a.product > b.product ? 1 : 0));

export function unchanged(current: Customer, patch: CustomerInput): boolean {
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    const now = (current as unknown as Record<string, unknown>)[k];
    if (k === 'product_accounts') {
      if (!isDeepStrictEqual(products(v as CustomerInput['product_accounts']), products(current.product_accounts))) return false;
    } else if (k === 'tags') {
      if (!isDeepStrictEqual([...(v as string[])].map((t) => t.toLowerCase()).sort(), [...current.tags].sort())) return false;
    } else if (!isDeepStrictEqual(v, now ?? null)) return false;
  }
  return true;
}
