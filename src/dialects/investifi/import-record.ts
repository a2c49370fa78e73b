import { KSUID_PATTERN } from '../../core/ids.ts';
import { checkCustomerInput, isObject, LineError, type ImportRow } from '../../import/import-row.ts';
import { fromCents, toCents } from './money.ts';

// An InvestiFi user (what GET /investifi/v1/users/ returns) as an import line: its accounts are
// the customer's product accounts. user_account_id is the external id, or, for a record that
// had none, its Roster id (so that is how it is matched).

export function investifiRecord(raw: unknown): ImportRow {
  if (!isObject(raw)) throw new LineError('a line must be a JSON object');
  const uid = raw.user_account_id;
  if (typeof uid !== 'string' || uid.length < 1 || uid.length > 255) throw new LineError('user_account_id: must be a string of 1 to 255 characters');
  if (!Array.isArray(raw.accounts)) throw new LineError('accounts: must be an array');
  const product_accounts = raw.accounts.map((a, i) => {
    if (!isObject(a)) throw new LineError(`accounts.${i}: must be an object`);
    let value: string;
    try {
      value = fromCents(toCents(String(a.current_market_value)));
    } catch {
      throw new LineError(`accounts.${i}.current_market_value: must be a decimal amount with at most two decimals`);
    }
    return { product: a.product as string, kyc_status: a.kyc_status as string, kyc_approved_at: (a.kyc_approved_at as string | undefined) ?? null, current_market_value: value };
  });
  const byId = KSUID_PATTERN.test(uid);
  const input = { ...(byId ? {} : { external_id: uid }), product_accounts };
  checkCustomerInput(input);
  return byId ? { input, id: uid } : { input };
}
