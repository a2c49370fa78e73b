import { Type, type Static } from '@sinclair/typebox';
import {
  and,
  eq,
  inList,
  listQuery,
  type CustomerField,
  type FieldTest,
  type ListQuery,
  type ListQueryOf,
  type Resource,
  type SearchField,
  type SortKey,
  type SortTerm,
} from '../../core/list-query.ts';
import { decodeCursor } from '../../core/cursor.ts';
import { invalid } from '../../core/errors.ts';
import { APPLICATION_STATUSES, CUSTOMER_TYPES, KYB_STATUSES, KYC_STATUSES, USER_ROLES } from '../../core/model.ts';
import { filterProperties, jsonFilterPattern, operatorFilters } from './filter-params.ts';
import { countMode, countParam, customerExpand, customerFields, parseCustomerFields, parseExpand, parseUserFields, userFields } from './record-params.ts';

// The native list parameters: their schemas, which validate and document them, and what they
// mean, one ListQuery. No SQL here: only meaning.

const csv = (desc: string, maxLength = 2000) => Type.Optional(Type.String({ maxLength, description: `${desc} Comma-separated list.` }));
const time = (desc: string) => Type.Optional(Type.String({ format: 'date-time', description: desc }));

export const pageParams = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  starting_after: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z]{27}$', description: 'Return records after this record id, in the current order.' })),
  ending_before: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z]{27}$', description: 'Return records before this record id, in the current order.' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'An opaque cursor from next_cursor or prev_cursor. Survives deletion of the record it points at.' })),
  ...countParam,
  include_deleted: Type.Boolean({ default: false }),
  updated_since: time('Only records created, changed or deleted at or after this instant; orders by updated_at ascending unless sort is given. Implies include_deleted.'),
  created_at_gte: time('Created at or after.'),
  created_at_gt: time('Created after.'),
  created_at_lte: time('Created at or before.'),
  created_at_lt: time('Created before.'),
  created_at: time('Created exactly at.'),
  updated_at_gte: time('Updated at or after.'),
  updated_at_lt: time('Updated before.'),
};

export const CustomerListQuery = Type.Object(
  {
    ...pageParams,
    ...customerFields,
    ...customerExpand,
    sort: Type.Optional(
      Type.String({
        maxLength: 500,
        description:
          'Comma-separated keys; prefix with - for descending. Keys: id, number, name, type, kyb_status, kyc_status, application_status, owner_name, operator_name, created_at, updated_at. Default: created_at.',
      }),
    ),
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Case-insensitive substring over name, first and last name, email, phone number, external id and id.' })),
    id: csv('Record ids.'),
    number: csv('Record numbers.'),
    external_id: csv('External ids.'),
    type: csv(`Types (${CUSTOMER_TYPES.join(', ')}).`),
    email: Type.Optional(Type.String({ maxLength: 320, description: 'Exact email, case-insensitive.' })),
    phone_number: Type.Optional(Type.String({ maxLength: 32 })),
    country: csv('ISO country codes.'),
    status: csv('Free-form statuses.'),
    kyb_status: csv('KYB statuses.'),
    kyc_status: csv('Effective KYC statuses.'),
    application_status: csv('Application statuses; customers without an application never match.'),
    has_application: Type.Optional(Type.Boolean()),
    parent_id: Type.Optional(Type.String({ maxLength: 255, description: 'Direct children of this customer.' })),
    ancestor_id: Type.Optional(Type.String({ maxLength: 255, description: 'Every customer below this one, at any depth.' })),
    operator_id: Type.Optional(Type.String({ maxLength: 255, description: 'Customers whose nearest operator is this customer.' })),
    has_children: Type.Optional(Type.Boolean({ description: 'true: customers that own at least one live customer; false: customers that own none.' })),
    is_sub_client: Type.Optional(Type.Boolean()),
    product: Type.Optional(Type.String({ maxLength: 40, description: 'Customers holding a product account of this product.' })),
    product_kyc_status: csv('With product: the product account has one of these statuses.'),
    tag_id: Type.Optional(Type.String({ format: 'uuid' })),
    token_value: Type.Optional(Type.String({ maxLength: 500 })),
    attributes_keys: csv('Customers that have every one of these attribute keys.'),
    ...filterProperties('customers'),
  },
  { additionalProperties: false, ...jsonFilterPattern },
);

export const UserListQuery = Type.Object(
  {
    ...pageParams,
    ...userFields,
    sort: Type.Optional(Type.String({ maxLength: 500, description: 'Comma-separated keys; prefix with - for descending. Keys: id, name, email, role, created_at, updated_at. Default: created_at.' })),
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Case-insensitive substring over first and last name, email and id.' })),
    role: csv('Roles.'),
    email: Type.Optional(Type.String({ maxLength: 320 })),
    ...filterProperties('users'),
  },
  { additionalProperties: false },
);

type PageParams = Static<ReturnType<typeof Type.Object<typeof pageParams>>>;

const split = (s: string | undefined) =>
  s === undefined
    ? undefined
    : s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);

/** A comma-separated filter over an enumerated field: an unknown value is an error, not an empty page. */
function enumerated(field: string, s: string | undefined, allowed: readonly string[]): string[] | undefined {
  const values = split(s);
  for (const v of values ?? []) if (!allowed.includes(v)) throw invalid(field, `unknown value "${v}"; use one of ${allowed.join(', ')}`);
  return values;
}

const CUSTOMER_SORT: Record<string, SortKey> = {
  id: 'id',
  number: 'number',
  name: 'name',
  type: 'type',
  kyb_status: 'kyb_status',
  kyc_status: 'kyc_status',
  application_status: 'application_status',
  owner_name: 'parent_name',
  operator_name: 'operator_name',
  created_at: 'created_at',
  updated_at: 'updated_at',
};
const USER_SORT: Record<string, SortKey> = { id: 'id', name: 'name', email: 'email', role: 'role', created_at: 'created_at', updated_at: 'updated_at' };

export function parseSort(value: string | undefined, keys: Record<string, SortKey>, fallback: SortTerm[]): SortTerm[] {
  if (value === undefined) return fallback;
  const terms = split(value)!.map((part): SortTerm => {
    const desc = part.startsWith('-');
    const name = desc ? part.slice(1) : part;
    const key = keys[name];
    if (!key) throw invalid('sort', `unknown sort key "${name}"; use one of ${Object.keys(keys).join(', ')}`);
    return { key, dir: desc ? 'desc' : 'asc' };
  });
  if (terms.length === 0) throw invalid('sort', 'must name at least one key');
  if (new Set(terms.map((t) => t.key)).size !== terms.length) throw invalid('sort', 'names a key twice');
  return terms;
}

function timeFilters(p: PageParams): FieldTest<'created_at' | 'updated_at'>[] {
  const f: FieldTest<'created_at' | 'updated_at'>[] = [];
  const created = { gte: p.created_at_gte, gt: p.created_at_gt, lte: p.created_at_lte, lt: p.created_at_lt };
  if (Object.values(created).some((v) => v !== undefined)) f.push({ kind: 'range', field: 'created_at', ...created });
  if (p.created_at) f.push(eq('created_at', p.created_at));
  const updatedGte = p.updated_since ?? p.updated_at_gte;
  if (updatedGte || p.updated_at_lt) f.push({ kind: 'range', field: 'updated_at', gte: updatedGte, lt: p.updated_at_lt });
  return f;
}

function page(p: PageParams, sort: SortTerm[]): ListQuery['page'] {
  const given = [p.starting_after, p.ending_before, p.cursor].filter((v) => v !== undefined).length;
  if (given > 1) throw invalid('cursor', 'use only one of starting_after, ending_before and cursor');
  if (p.cursor) {
    const [dir, token] = p.cursor.startsWith('b.') ? ['before', p.cursor.slice(2)] : ['after', p.cursor.replace(/^a\./, '')];
    const anchor = decodeCursor(token, sort);
    return dir === 'before' ? { kind: 'keyset', limit: p.limit, before: anchor } : { kind: 'keyset', limit: p.limit, after: anchor };
  }
  if (p.starting_after) return { kind: 'keyset', limit: p.limit, after: { id: p.starting_after } };
  if (p.ending_before) return { kind: 'keyset', limit: p.limit, before: { id: p.ending_before } };
  return { kind: 'keyset', limit: p.limit };
}

/** The fields the `search` parameter (and a word without a field in the search language) looks in. */
export const SEARCH_FIELDS: { [R in Resource]: readonly SearchField[] } = {
  customers: ['name', 'first_name', 'last_name', 'email', 'phone_number', 'external_id', 'id'],
  users: ['first_name', 'last_name', 'name', 'email', 'id'],
};

const defaultSort = (p: PageParams): SortTerm[] => (p.updated_since ? [{ key: 'updated_at', dir: 'asc' }] : [{ key: 'created_at', dir: 'asc' }]);

export function customerListQuery(p: Static<typeof CustomerListQuery>): ListQueryOf<'customers'> {
  const sort = parseSort(p.sort, CUSTOMER_SORT, defaultSort(p));
  const types = enumerated('type', p.type, CUSTOMER_TYPES);
  const numbers = split(p.number)?.map((n) => {
    if (!/^\d{1,15}$/.test(n)) throw invalid('number', `"${n}" is not an integer`);
    return Number(n);
  });
  const list = (field: CustomerField, values: string[] | number[] | undefined) => (values ? inList(field, values) : undefined);
  const filter = and(
    list('id', split(p.id)),
    list('number', numbers),
    list('external_id', split(p.external_id)),
    list('type', types),
    p.email !== undefined ? eq('email', p.email) : undefined,
    p.phone_number !== undefined ? eq('phone_number', p.phone_number) : undefined,
    list('country', split(p.country)),
    list('status', split(p.status)),
    list('kyb_status', enumerated('kyb_status', p.kyb_status, KYB_STATUSES)),
    list('kyc_status', enumerated('kyc_status', p.kyc_status, KYC_STATUSES)),
    list('application_status', enumerated('application_status', p.application_status, APPLICATION_STATUSES)),
    p.has_application !== undefined ? { kind: 'null', field: 'application_status', isNull: !p.has_application } : undefined,
    p.parent_id !== undefined ? { kind: 'childOf', parent: { by: 'id', value: p.parent_id } } : undefined,
    p.ancestor_id !== undefined ? { kind: 'descendantOf', ancestor: { by: 'id', value: p.ancestor_id } } : undefined,
    p.operator_id !== undefined ? { kind: 'underOperator', operator: { by: 'id', value: p.operator_id } } : undefined,
    p.has_children !== undefined ? (p.has_children ? { kind: 'hasChildren' } : { kind: 'not', filter: { kind: 'hasChildren' } }) : undefined,
    p.is_sub_client !== undefined ? eq('is_sub_client', p.is_sub_client) : undefined,
    p.product !== undefined || p.product_kyc_status !== undefined ? { kind: 'hasProductAccount', product: p.product, kycStatuses: split(p.product_kyc_status) } : undefined,
    p.tag_id !== undefined ? { kind: 'hasTag', tagId: p.tag_id } : undefined,
    p.token_value !== undefined ? { kind: 'hasToken', value: p.token_value } : undefined,
    p.attributes_keys !== undefined ? { kind: 'jsonHasKeys', field: 'attributes', keys: split(p.attributes_keys)! } : undefined,
    ...timeFilters(p),
    ...operatorFilters('customers', p),
  );
  return listQuery({
    resource: 'customers',
    fields: parseCustomerFields(p.fields),
    expand: parseExpand(p.expand),
    filter,
    search: p.search ? { term: p.search, fields: SEARCH_FIELDS.customers, mode: 'substring' } : undefined,
    sort,
    page: page(p, sort),
    count: countMode(p.count),
    deleted: p.include_deleted || p.updated_since ? 'include' : 'exclude',
  });
}

export function userListQuery(p: Static<typeof UserListQuery>): ListQueryOf<'users'> {
  const sort = parseSort(p.sort, USER_SORT, defaultSort(p));
  const roles = enumerated('role', p.role, USER_ROLES);
  const filter = and(roles ? inList('role', roles) : undefined, p.email !== undefined ? eq('email', p.email) : undefined, ...timeFilters(p), ...operatorFilters('users', p));
  return listQuery({
    resource: 'users',
    fields: parseUserFields(p.fields),
    filter,
    search: p.search ? { term: p.search, fields: SEARCH_FIELDS.users, mode: 'substring' } : undefined,
    sort,
    page: page(p, sort),
    count: countMode(p.count),
    deleted: p.include_deleted || p.updated_since ? 'include' : 'exclude',
  });
}

export const CustomerGetQuery = Type.Object({ ...customerFields, ...customerExpand }, { additionalProperties: false });
export const UserGetQuery = Type.Object(userFields, { additionalProperties: false });

/** One customer by id, live only, as a one-record list: the same record shapes as a list's. */
export function customerGetQuery(id: string, p: Static<typeof CustomerGetQuery>): ListQueryOf<'customers'> {
  return listQuery({ resource: 'customers', fields: parseCustomerFields(p.fields), expand: parseExpand(p.expand), filter: eq('id', id), page: { kind: 'keyset', limit: 1 } });
}

export function userGetQuery(id: string, p: Static<typeof UserGetQuery>): ListQueryOf<'users'> {
  return listQuery({ resource: 'users', fields: parseUserFields(p.fields), filter: eq('id', id), page: { kind: 'keyset', limit: 1 } });
}
