import {
  APPROVAL_DELAY_MS,
  ATTRIBUTE_SET_COUNT,
  LINK_DELAY_MS,
  PROVIDER_STATUS_COUNT,
  applicationUrlOf,
  attributesOf,
  externalIdOf,
  linkUrlOf,
  phoneOf,
  providerStatusesOf,
  type RawCustomer,
} from './generate.ts';
import { iso } from './iso.ts';

// Rows in COPY's text format: tab-separated fields, \N for NULL, backslash escapes.

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
// Almost no value needs escaping: one test instead of four replaces per field.
const esc = (v: string) => (SPECIAL.test(v) ? v.replace(SPECIALS, (m) => ESCAPES[m]) : v);

/** Marks a JS array as a Postgres text[] (other arrays are written as JSON). */
export class PgArray {
  constructor(readonly items: string[]) {}
}

/** Any value as one COPY field. */
export function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (v instanceof Date) return v.toISOString();
  if (v instanceof PgArray) return esc(`{${v.items.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
  if (typeof v === 'object') return esc(JSON.stringify(v));
  return esc(String(v));
}

export const copyLine = (values: unknown[]) => values.map(copyField).join('\t') + '\n';

export const CUSTOMER_COLUMNS = [
  'account_id',
  'id',
  'number',
  'uuid',
  'external_id',
  'type',
  'name',
  'first_name',
  'last_name',
  'email',
  'phone_number',
  'country',
  'kyb_status',
  'kyc_links',
  'application',
  'provider_statuses',
  'attributes',
  'metadata',
  'parent_id',
  'parent_name',
  'ancestors',
  'operator_id',
  'operator_name',
  'is_sub_client',
  'created_at',
  'updated_at',
  'deleted_at',
  'created_by',
  'parent_number',
  'operator_number',
];
export const PRODUCT_COLUMNS = ['account_id', 'customer_id', 'product', 'kyc_status', 'kyc_approved_at', 'current_market_value', 'created_at', 'updated_at'];
export const USER_COLUMNS = ['account_id', 'id', 'first_name', 'last_name', 'email', 'role', 'swift_enabled', 'created_at', 'updated_at'];

// The fast path below writes a raw customer straight to text, JSON included, without building
// the record and stringifying it: that was over half the time spent in Node per row. It must
// write exactly what copyLine writes for toSeedCustomer(raw); copy-text.test.ts checks that.

const PROVIDER_JSON = Array.from({ length: PROVIDER_STATUS_COUNT }, (_, i) => JSON.stringify(providerStatusesOf(i)));
const ATTRIBUTES_JSON = Array.from({ length: ATTRIBUTE_SET_COUNT }, (_, i) => JSON.stringify(attributesOf(i)));
const text = (v: string | null | undefined) => (v == null ? '\\N' : esc(v));
const num = (v: number | undefined) => (v === undefined ? '\\N' : String(v));
// Ids, statuses and numbers are base62, fixed words or digits: nothing to escape or quote in
// JSON. Rows are joined from arrays rather than template strings: V8 builds a template as a
// chain of small pieces that must be copied together again when written, twice the work.
const linkJson = (r: RawCustomer) => {
  if (r.linkStatus === null) return '[]';
  const at = iso(r.createdMs + LINK_DELAY_MS);
  return ['[{"provider_id":"trm_labs","link_type":"persona","url":"', linkUrlOf(r.id), '","status":"', r.linkStatus, '","created_at":"', at, '","updated_at":"', at, '"}]'].join('');
};
const applicationJson = (r: RawCustomer) => {
  const a = r.application;
  if (a === null) return '\\N';
  return ['{"id":"', a.id, '","status":"', a.status, '","decision":', a.decision === null ? 'null' : `"${a.decision}"`, ',"url":"', applicationUrlOf(r.number), '"}'].join('');
};
// Elements are KSUIDs: quoted, but nothing in them to escape.
const ancestorsText = (ids: string[]) => (ids.length === 0 ? '{}' : `{"${ids.join('","')}"}`);

/** A raw customer's row and its product accounts' rows. */
export function customerRows(accountId: string, r: RawCustomer): { customer: string; products: string } {
  const account = esc(accountId);
  const created = iso(r.createdMs);
  const updated = iso(r.updatedMs);
  const customer = [
    account,
    r.id,
    String(r.number),
    r.uuid,
    externalIdOf(r.number),
    r.type,
    esc(r.name),
    text(r.first),
    text(r.last),
    esc(r.email),
    phoneOf(r.number),
    r.country,
    r.kybStatus,
    linkJson(r),
    applicationJson(r),
    PROVIDER_JSON[r.providerStatus],
    ATTRIBUTES_JSON[r.attributes],
    '{}',
    text(r.parent?.id),
    text(r.parent?.name),
    ancestorsText(r.ancestors),
    text(r.operator?.id),
    text(r.operator?.name),
    r.isSubClient ? 'true' : 'false',
    created,
    updated,
    r.deleted ? updated : '\\N',
    'seed',
    num(r.parent?.number),
    `${num(r.operator?.number)}\n`,
  ].join('\t');
  let products = '';
  for (const p of r.products) {
    products += [account, r.id, p.product, p.kycStatus, p.approved ? iso(r.createdMs + APPROVAL_DELAY_MS) : '\\N', p.value, created, `${updated}\n`].join('\t');
  }
  return { customer, products };
}
