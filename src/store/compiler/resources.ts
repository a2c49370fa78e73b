import type { Field, Resource, SearchField, SortKey } from '../../core/list-query.ts';

// What each resource's fields, sort keys and search fields are in SQL. The compiler walks the
// query tree; this table is the only place that knows column names.

export type SqlType = 'text' | 'bigint' | 'boolean' | 'timestamptz' | 'uuid';

export interface FieldDef {
  sql: string;
  type: SqlType;
  /** Compared case-insensitively: the value is lower-cased and `sql` is already lower(). */
  ci?: boolean;
}

export interface ResourceDef {
  table: string;
  fields: Partial<Record<Field, FieldDef>>;
  /** Every sort expression is a NOT NULL plain column, so keyset comparisons never meet a
   * NULL, and stay index conditions under row-level security (migration 050). */
  /** `unique`: the key alone orders records totally (per account), so no id tiebreak is added. */
  sortKeys: Partial<Record<SortKey, { sql: string; type: SqlType; unique?: boolean }>>;
  /** Per-field search expressions; candidates come from the table's trigram-indexed search_text. */
  search: {
    fields: Partial<Record<SearchField, string>>;
    /**
     * For terms too short for trigrams (one or two characters): the lower-cased, "C"-collated
     * b-tree columns whose start the term is matched against, through a range an index serves.
     */
    prefix: Partial<Record<SearchField, string>>;
    /**
     * The same for columns kept as written, not lower-cased (an external id): the term is
     * matched in each of its case spellings, at most four for two letters, each a range.
     */
    casedPrefix?: Partial<Record<SearchField, string>>;
  };
  /** One record's JSON fields and the SQL of each, built in Postgres from the row aliased `c`. */
  record: Readonly<Record<string, string>>;
  /**
   * The counters kept on write (migration 070): their table, and the fields counted per value,
   * which must be the ones the table's count-keys function lists.
   */
  /** Counted fields (migration 070), and whether pairs of them are counted too (096). */
  counts: { table: string; fields: readonly Field[]; pairs: boolean };
}

// Record columns are listed, not taken with to_jsonb(row): building JSON from the columns a
// response needs is several times cheaper than converting every column of a wide row to jsonb.

/** Timestamps in the form every API returns (roster_iso, migrations 045 and 097), so records built
 * here need no reworking in Node. */
const iso = (col: string) => `roster_iso(${col})`;
const TIMES = new Set(['created_at', 'updated_at', 'deleted_at']);
const columns = (cols: string[]) => Object.fromEntries(cols.map((col) => [col, TIMES.has(col) ? iso(`c.${col}`) : `c.${col}`]));
const CUSTOMER_COLUMNS = [
  'id', 'number', 'uuid', 'external_id', 'type', 'name', 'display_name', 'first_name', 'last_name', 'email', 'phone_number',
  'country', 'gender', 'date_of_birth', 'addresses', 'company', 'status', 'metadata', 'attributes',
  'marketing_consent', 'enrolled_by', 'term', 'favorite_store', 'contact_for', 'kyb_status', 'kyc_status',
  'kyc_links', 'provider_statuses', 'application', 'application_status', 'parent_id', 'ancestors', 'operator_id',
  'parent_name', 'parent_number', 'operator_name', 'operator_number', 'is_sub_client', 'extensions', 'created_at', 'updated_at', 'deleted_at',
  'created_by', 'deleted_by',
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

export const RESOURCES: Record<Resource, ResourceDef> = {
  customers: {
    table: 'customers',
    fields: {
      id: { sql: 'c.id', type: 'text' },
      number: { sql: 'c.number', type: 'bigint' },
      uuid: { sql: 'c.uuid', type: 'uuid' },
      external_id: { sql: 'c.external_id', type: 'text' },
      type: { sql: 'c.type', type: 'text' },
      party_type: { sql: 'c.party_type', type: 'text' },
      name: { sql: 'c.name', type: 'text' },
      first_name: { sql: 'c.first_name', type: 'text' },
      last_name: { sql: 'c.last_name', type: 'text' },
      email: { sql: 'c.email_key', type: 'text', ci: true },
      phone_number: { sql: 'c.phone_number', type: 'text' },
      country: { sql: 'c.country', type: 'text' },
      status: { sql: 'c.status', type: 'text' },
      kyb_status: { sql: 'c.kyb_status', type: 'text' },
      kyc_status: { sql: 'c.kyc_status', type: 'text' },
      application_status: { sql: 'c.application_status', type: 'text' },
      parent_id: { sql: 'c.parent_id', type: 'text' },
      operator_id: { sql: 'c.operator_id', type: 'text' },
      is_sub_client: { sql: 'c.is_sub_client', type: 'boolean' },
      created_at: { sql: 'c.created_at', type: 'timestamptz' },
      updated_at: { sql: 'c.updated_at', type: 'timestamptz' },
      deleted_at: { sql: 'c.deleted_at', type: 'timestamptz' },
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
      prefix: { name: 'c.sort_name', email: 'c.email_key' },
      // customers_external_id_key (live records with an external id) serves these ranges.
      casedPrefix: { external_id: 'c.external_id' },
    },
    record: customerRecord,
    counts: { table: 'customer_counts', fields: ['type', 'country', 'status', 'kyb_status', 'kyc_status', 'application_status', 'is_sub_client'], pairs: true },
  },
  users: {
    table: 'users',
    fields: {
      id: { sql: 'c.id', type: 'text' },
      email: { sql: 'c.sort_email', type: 'text', ci: true },
      first_name: { sql: 'c.first_name', type: 'text' },
      last_name: { sql: 'c.last_name', type: 'text' },
      role: { sql: 'c.role', type: 'text' },
      created_at: { sql: 'c.created_at', type: 'timestamptz' },
      updated_at: { sql: 'c.updated_at', type: 'timestamptz' },
      deleted_at: { sql: 'c.deleted_at', type: 'timestamptz' },
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
      fields: {
        id: 'lower(c.id)',
        name: "lower(c.first_name || ' ' || c.last_name)",
        first_name: 'lower(c.first_name)',
        last_name: 'lower(c.last_name)',
        email: 'c.sort_email',
      },
      prefix: { name: 'c.sort_name', email: 'c.sort_email' },
    },
    record: columns(['id', 'first_name', 'last_name', 'email', 'role', 'swift_enabled', 'created_at', 'updated_at', 'deleted_at']),
    counts: { table: 'user_counts', fields: ['role'], pairs: false },
  },
};
