import type { Customer } from '../../core/model.ts';
import { fromCents, sumAmounts, toCents } from './money.ts';

// A canonical customer as an InvestiFi user: its product accounts, their exact total, and the
// partner's own id.

export interface UserAccount {
  current_market_value: string;
  kyc_approved_at?: string;
  kyc_status: string;
  product: string;
}

export interface PartnerUser {
  accounts: UserAccount[];
  total_current_market_value: string;
  user_account_id: string;
}

/** pydantic's datetime output: whole seconds bare, otherwise six fraction digits; always Z. */
export function formatInstant(iso: string): string {
  const d = new Date(iso);
  const base = d.toISOString().slice(0, 19);
  const ms = d.getUTCMilliseconds();
  return ms === 0 ? `${base}Z` : `${base}.${String(ms).padStart(3, '0')}000Z`;
}

/** The canonical fields toPartnerUser reads (plus `number`, the walk's cursor). */
export const USER_FIELDS = ['id', 'number', 'external_id', 'product_accounts'] as const;

export function toPartnerUser(c: Customer): PartnerUser {
  const accounts = c.product_accounts.map(
    (p): UserAccount => ({
      current_market_value: fromCents(toCents(p.current_market_value)),
      // Only an approved account carries its approval time.
      ...(p.kyc_status === 'approved' && p.kyc_approved_at ? { kyc_approved_at: formatInstant(p.kyc_approved_at) } : {}),
      kyc_status: p.kyc_status,
      product: p.product,
    }),
  );
  return {
    accounts,
    total_current_market_value: sumAmounts(accounts.map((a) => a.current_market_value)),
    user_account_id: c.external_id ?? c.id,
  };
}
