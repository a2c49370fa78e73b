import { and, eq, listQuery, type Filter, type ListQueryOf, type SortKey } from '../../core/list-query.ts';
import { Checker } from './validation.ts';

// GET /users/ parameters, validated in the vendor's way and parsed into one ListQuery.

export const SORT_ORDERS = ['asc', 'desc'] as const;
/** The vendor documents only created_at; user_account_id is the other field a user list has. */
export const SORT_KEYS = ['created_at', 'user_account_id'] as const;
/** Products with their own `<product>_kyc_status` filter, in the vendor's order. */
export const KYC_PRODUCTS = ['crypto', 'securities', 'roth_ira', 'robo'] as const;

/** The longest external id Roster stores, and the longest product or KYC status name. */
const MAX_TEXT = 255;
const MAX_PRODUCT = 40;

const SORT: Record<(typeof SORT_KEYS)[number], SortKey> = { created_at: 'created_at', user_account_id: 'external_id' };

export interface UserListParams {
  filter: Filter<'customers'>;
  sort: ListQueryOf<'customers'>['sort'];
  perPage: number;
  /** How many records earlier pages held: the position of the previous page's last record; 0 starts at the beginning. */
  lastRecordNumber: number;
}

/** FastAPI reads the last value of a repeated scalar parameter. */
const last = (v: unknown): string | undefined => (Array.isArray(v) ? last(v.at(-1)) : typeof v === 'string' ? v : undefined);

/** InvestiFi's users are the customers that hold at least one product account. */
export const IS_USER: Filter<'customers'> = { kind: 'hasProductAccount' };

/**
 * A user named by its user_account_id: the canonical external id, or, for a customer written
 * without one, its Roster id (which is what it is rendered as).
 */
export const userAccountIs = (value: string): Filter<'customers'> => ({
  kind: 'or',
  filters: [eq('external_id', value), and(eq('id', value), { kind: 'null', field: 'external_id', isNull: true })],
});

export function parseUserListParams(raw: Record<string, unknown>): UserListParams {
  const q = (name: string) => last(raw[name]);
  const check = new Checker('query');
  const userAccountId = check.text('user_account_id', q('user_account_id'), MAX_TEXT);
  const product = check.text('product', q('product'), MAX_PRODUCT);
  const kyc = KYC_PRODUCTS.map((p) => ({ product: p, status: check.text(`${p}_kyc_status`, q(`${p}_kyc_status`), MAX_PRODUCT) }));
  const start = check.datetime('created_at_start', q('created_at_start'));
  const end = check.datetime('created_at_end', q('created_at_end'));
  const perPage = check.int('per_page', q('per_page'), 25, { ge: 1, le: 100 });
  const lastRecordNumber = check.int('last_record_number', q('last_record_number'), 0, { ge: 0 });
  const sortOrder = check.choice('sort_order', q('sort_order'), 'desc', SORT_ORDERS, 'enum');
  const sortKey = check.choice('sort_key', q('sort_key'), 'created_at', SORT_KEYS, 'literal_error');
  check.done();

  const filter = and(
    IS_USER,
    userAccountId !== undefined ? userAccountIs(userAccountId) : undefined,
    product !== undefined ? { kind: 'hasProductAccount', product } : undefined,
    ...kyc.map(({ product: p, status }): Filter<'customers'> | undefined => (status !== undefined ? { kind: 'hasProductAccount', product: p, kycStatuses: [status] } : undefined)),
    start !== undefined || end !== undefined ? { kind: 'range', field: 'created_at', gte: start, lt: end } : undefined,
  );
  return {
    filter,
    sort: [{ key: SORT[sortKey!], dir: sortOrder! }],
    perPage: perPage!,
    lastRecordNumber: lastRecordNumber!,
  };
}

/**
 * The page after the first `last_record_number` records in the requested order: the value is a
 * position, so a client may pass back what the previous response said, or compare it with
 * `total_records` (README, "Pagination").
 */
export function userListQuery(p: UserListParams): ListQueryOf<'customers'> {
  return listQuery({
    resource: 'customers',
    filter: p.filter,
    sort: p.sort,
    page: { kind: 'offset', limit: p.perPage, offset: p.lastRecordNumber },
    count: true,
  });
}
