import type { CustomerRef, CustomerTest, Resource } from '../../core/list-query.ts';
import type { Params } from './params.ts';
import type { ResourceDef } from './resource-def.ts';

// What each resource's fields, sort keys, search fields, records and tests are in SQL (the shape
// of a definition: resource-def.ts). The compiler walks the query tree; this file is the only
// place that knows table and column names.

/** The account's write version, which every write moves on (triggers/roster_bump_write_version.sql). */
export const writeVersion = (account: string) => `(SELECT v.write_version FROM account_modes v WHERE v.account_id = ${account})`;

// Record columns are listed, not taken with to_jsonb(row): building JSON from the columns a
// response needs is several times cheaper than converting every column of a wide row to jsonb.

/** Timestamps in the form every API returns (roster_iso, sql/functions/roster_iso.sql), so records
 * built here need no reworking in Node. */
const iso = (col: string) => `roster_iso(${col})`;
const TIMES = new Set(['created_at', 'updated_at', 'deleted_at']);
const columns = (cols: string[]) => Object.fromEntries(cols.map((col) => [col, TIMES.has(col) ? iso(`c.${col}`) : `c.${col}`]));
/** A customer's own columns, in the order records list them. */
export const CUSTOMER_COLUMNS = [
  'id',
  'number',
  'uuid',
  'external_id',
  'type',
  'name',
  'display_name',
  'first_name',
  'last_name',
  'email',
  'phone_number',
  'country',
  'gender',
  'date_of_birth',
  'addresses',
  'company',
  'status',
  'metadata',
  'attributes',
  'marketing_consent',
  'enrolled_by',
  'term',
  'favorite_store',
  'contact_for',
  'kyb_status',
  'kyc_status',
  'kyc_links',
  'provider_statuses',
  'application',
  'application_status',
  'parent_id',
  'ancestors',
  'operator_id',
  'parent_name',
  'parent_number',
  'operator_name',
  'operator_number',
  'is_sub_client',
  'extensions',
  'created_at',
  'updated_at',
  'deleted_at',
  'created_by',
  'deleted_by',
];

const customerRecord = {
  ...columns(CUSTOMER_COLUMNS),
  product_accounts: `coalesce((SELECT json_agg(json_build_object(
        'product', p.product, 'kyc_status', p.kyc_status, 'kyc_approved_at', ${iso('p.kyc_approved_at')},
        'current_market_value', p.current_market_value::text) ORDER BY p.product)
      FROM product_accounts p WHERE p.account_id = c.account_id AND p.customer_id = c.id), '[]'::json)`,
  tags: `coalesce((SELECT json_agg(t.tag_id ORDER BY t.tag_id)
      FROM customer_tags t WHERE t.account_id = c.account_id AND t.customer_id = c.id), '[]'::json)`,
};

/**
 * The tests only customers have, for the row aliased `c`: a walker keyed by the test's kind, so
 * a new kind is a type error here until it has its SQL. Rows of their own (product accounts,
 * tags, tokens) are asked for with EXISTS, which their (account_id, customer_id) keys serve.
 */
function customerTest(node: CustomerTest, p: Params, account: string): string {
  const ref = (r: CustomerRef) => customerRef(r, p, account);
  switch (node.kind) {
    case 'jsonHasKeys':
      return `c.${node.field} ?& ${p.add(node.keys, 'text[]')}`;
    case 'jsonContains':
      return `c.${node.field} @> ${p.add(JSON.stringify(node.value), 'text') + '::jsonb'}`;
    case 'childOf':
      return `c.parent_id = ${ref(node.parent)}`;
    case 'descendantOf':
      return `c.ancestors @> ARRAY[${ref(node.ancestor)}]::text[]`;
    case 'underOperator':
      return `c.operator_id = ${ref(node.operator)}`;
    case 'hasChildren':
      // One probe of (account_id, parent_id, id) per record tested.
      return `EXISTS (SELECT 1 FROM customers ch WHERE ch.account_id = c.account_id AND ch.parent_id = c.id AND ch.deleted_at IS NULL)`;
    case 'hasProductAccount': {
      const conds = [`pa.account_id = c.account_id`, `pa.customer_id = c.id`];
      if (node.product !== undefined) conds.push(`pa.product = ${p.add(node.product, 'text')}`);
      if (node.kycStatuses !== undefined) conds.push(`pa.kyc_status = ANY(${p.add(node.kycStatuses, 'text[]')})`);
      return `EXISTS (SELECT 1 FROM product_accounts pa WHERE ${conds.join(' AND ')})`;
    }
    case 'hasTag':
      return `EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.account_id = c.account_id AND ct.customer_id = c.id AND ct.tag_id = ${p.add(node.tagId, 'uuid')})`;
    case 'hasToken': {
      const value = node.value !== undefined ? ` AND tk.value = ${p.add(node.value, 'text')}` : '';
      const type = node.type !== undefined ? ` AND tk.type = ${p.add(node.type, 'text')}` : '';
      return `EXISTS (SELECT 1 FROM customer_tokens tk WHERE tk.account_id = c.account_id AND tk.customer_id = c.id AND tk.deleted_at IS NULL${value}${type})`;
    }
    default: {
      const unhandled: never = node;
      throw new Error(`unhandled filter ${(unhandled as CustomerTest).kind}`);
    }
  }
}

/**
 * Whether a customer test's SQL may be NULL: a comparison with a nullable column (a parent, an
 * operator) or with a reference that names no customer. EXISTS and tests of NOT NULL json
 * columns are always true or false.
 */
function customerTestMayBeNull(node: CustomerTest): boolean {
  return node.kind === 'childOf' || node.kind === 'descendantOf' || node.kind === 'underOperator';
}

/** A customer named by one of its identifiers, resolved inside the statement within the account. */
function customerRef(r: CustomerRef, p: Params, account: string): string {
  if (r.by === 'id') return p.add(r.value, 'text');
  const [col, type] = r.by === 'number' ? (['number', 'bigint'] as const) : (['external_id', 'text'] as const);
  return `(SELECT r.id FROM customers r WHERE r.account_id = ${account} AND r.${col} = ${p.add(r.value, type)} LIMIT 1)`;
}

export const RESOURCES: { [R in Resource]: ResourceDef<R> } = {
  customers: {
    table: 'customers',
    fields: {
      id: { sql: 'c.id', type: 'text' },
      number: { sql: 'c.number', type: 'bigint' },
      uuid: { sql: 'c.uuid', type: 'uuid' },
      external_id: { sql: 'c.external_id', type: 'text', nullable: true },
      type: { sql: 'c.type', type: 'text' },
      party_type: { sql: 'c.party_type', type: 'text' },
      name: { sql: 'c.name', type: 'text', nullable: true, rowOnly: true },
      first_name: { sql: 'c.first_name', type: 'text', nullable: true, rowOnly: true },
      last_name: { sql: 'c.last_name', type: 'text', nullable: true, rowOnly: true },
      email: { sql: 'c.email_key', type: 'text', ci: true, nullable: true },
      phone_number: { sql: 'c.phone_number', type: 'text', nullable: true },
      country: { sql: 'c.country', type: 'text', nullable: true, rowOnly: true },
      status: { sql: 'c.status', type: 'text', nullable: true, rowOnly: true },
      kyb_status: { sql: 'c.kyb_status', type: 'text' },
      kyc_status: { sql: 'c.kyc_status', type: 'text' },
      application_status: { sql: 'c.application_status', type: 'text', nullable: true, rowOnly: true },
      parent_id: { sql: 'c.parent_id', type: 'text', nullable: true },
      operator_id: { sql: 'c.operator_id', type: 'text', nullable: true },
      is_sub_client: { sql: 'c.is_sub_client', type: 'boolean', rowOnly: true },
      created_at: { sql: 'c.created_at', type: 'timestamptz' },
      updated_at: { sql: 'c.updated_at', type: 'timestamptz' },
      deleted_at: { sql: 'c.deleted_at', type: 'timestamptz', nullable: true },
    },
    sortKeys: {
      id: { sql: 'c.id', type: 'text' },
      number: { sql: 'c.number', type: 'bigint', unique: true },
      name: { sql: 'c.sort_name', type: 'text' },
      type: { sql: 'c.type', type: 'text' },
      party_type: { sql: 'c.party_type', type: 'text' },
      kyb_status: { sql: 'c.kyb_status', type: 'text' },
      kyc_status: { sql: 'c.kyc_status', type: 'text' },
      application_status: { sql: 'c.application_sort', type: 'text' },
      parent_name: { sql: 'c.parent_sort', type: 'text' },
      operator_name: { sql: 'c.operator_sort', type: 'text' },
      created_at: { sql: 'c.created_at', type: 'timestamptz' },
      updated_at: { sql: 'c.updated_at', type: 'timestamptz' },
      external_id: { sql: 'c.external_sort', type: 'text' },
    },
    search: {
      text: 'c.search_text',
      fields: {
        id: 'lower(c.id)',
        number: 'c.number::text',
        external_id: 'lower(c.external_id)',
        // The display name (migration 105): the name, else the first and last name.
        name: 'lower(c.display_name)',
        first_name: 'lower(c.first_name)',
        last_name: 'lower(c.last_name)',
        email: 'lower(c.email)',
        phone_number: 'c.phone_number',
      },
      // search_text (migration 001): name, first and last name, email, phone, external id, id, number.
      covers: ['name', 'first_name', 'last_name', 'email', 'phone_number', 'external_id', 'id'],
      prefix: { name: 'c.sort_name', email: 'c.email_key' },
      // customers_external_id_key (live records with an external id) serves these ranges.
      casedPrefix: { external_id: 'c.external_id' },
    },
    record: customerRecord,
    relations: { parent: 'parent_id', operator: 'operator_id' },
    counts: { table: 'customer_counts', fields: ['type', 'country', 'status', 'kyb_status', 'kyc_status', 'application_status', 'is_sub_client'], pairs: true },
    tests: customerTest,
    testMayBeNull: customerTestMayBeNull,
  },
  users: {
    table: 'users',
    fields: {
      id: { sql: 'c.id', type: 'text' },
      email: { sql: 'c.sort_email', type: 'text', ci: true },
      first_name: { sql: 'c.first_name', type: 'text', rowOnly: true },
      last_name: { sql: 'c.last_name', type: 'text', rowOnly: true },
      role: { sql: 'c.role', type: 'text' },
      created_at: { sql: 'c.created_at', type: 'timestamptz' },
      updated_at: { sql: 'c.updated_at', type: 'timestamptz' },
      deleted_at: { sql: 'c.deleted_at', type: 'timestamptz', nullable: true },
    },
    sortKeys: {
      id: { sql: 'c.id', type: 'text' },
      name: { sql: 'c.sort_name', type: 'text' },
      email: { sql: 'c.sort_email', type: 'text' },
      role: { sql: 'c.role', type: 'text' },
      created_at: { sql: 'c.created_at', type: 'timestamptz' },
      updated_at: { sql: 'c.updated_at', type: 'timestamptz' },
    },
    search: {
      text: 'c.search_text',
      fields: {
        id: 'lower(c.id)',
        name: "lower(c.first_name || ' ' || c.last_name)",
        first_name: 'lower(c.first_name)',
        last_name: 'lower(c.last_name)',
        email: 'c.sort_email',
      },
      prefix: { name: 'c.sort_name', email: 'c.sort_email' },
      // search_text (migration 001): first and last name, email, id.
      covers: ['first_name', 'last_name', 'email', 'id'],
    },
    record: columns(['id', 'first_name', 'last_name', 'email', 'role', 'swift_enabled', 'created_at', 'updated_at', 'deleted_at']),
    relations: {},
    counts: { table: 'user_counts', fields: ['role'], pairs: false },
    tests: undefined,
    testMayBeNull: undefined,
  },
};
