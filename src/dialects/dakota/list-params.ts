import type { Static } from '@sinclair/typebox';
import { and, eq, inList, listQuery, type FieldTest, type ListQueryOf, type SortKey, type SortTerm } from '../../core/list-query.ts';
import { invalid } from '../../core/errors.ts';
import { parseInstant, sqlInstant } from '../../core/instant.ts';
import { APPLICATION_STATUSES, KYB_STATUSES, KYC_STATUSES, USER_ROLES } from '../../core/model.ts';
import type { CustomerListQuery, UserListQuery } from './schemas.ts';

// Dakota's list parameters, parsed into one ListQuery. No SQL here: only meaning.

const CUSTOMER_SORT: Record<string, SortKey> = {
  application_status: 'application_status',
  created_at: 'created_at',
  customer_type: 'party_type',
  id: 'id',
  kyb_status: 'kyb_status',
  kyc_status: 'kyc_status',
  name: 'name',
};
const USER_SORT: Record<string, SortKey> = { created_at: 'created_at', email: 'email', name: 'name', role: 'role' };

/** A comma-separated list whose every value must be one of `allowed`. */
function csv(field: string, value: string | undefined, allowed: readonly string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const values = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (values.length === 0) throw invalid(field, 'must name at least one value');
  for (const v of values) if (!allowed.includes(v)) throw invalid(field, `unknown value "${v}"; use ${allowed.join(', ')}`);
  return values;
}

/**
 * Timestamps render as whole Unix seconds, so the created range is inclusive at second
 * granularity: `created_at_to=T` keeps every record shown with created_at T.
 */
function createdRange(from: string | undefined, to: string | undefined): FieldTest<'created_at'> | undefined {
  if (from === undefined && to === undefined) return undefined;
  const second = (field: string, s: string) => {
    const at = parseInstant(s);
    if (!at) throw invalid(field, 'must be an RFC 3339 date-time in years 0001–9999');
    return Math.floor(at.getTime() / 1000) * 1000;
  };
  const gte = from !== undefined ? sqlInstant(new Date(second('created_at_from', from))) : undefined;
  const lt = to !== undefined ? sqlInstant(new Date(second('created_at_to', to) + 1000)) : undefined;
  if (gte !== undefined && lt !== undefined && gte >= lt) throw invalid('created_at_from', 'must not be after created_at_to');
  return { kind: 'range', field: 'created_at', gte, lt };
}

function page(p: { limit: number; starting_after?: string; ending_before?: string }): ListQueryOf<'customers' | 'users'>['page'] {
  if (p.starting_after !== undefined && p.ending_before !== undefined) throw invalid('ending_before', 'cannot be combined with starting_after');
  if (p.starting_after !== undefined) return { kind: 'keyset', limit: p.limit, after: { id: p.starting_after } };
  if (p.ending_before !== undefined) return { kind: 'keyset', limit: p.limit, before: { id: p.ending_before } };
  return { kind: 'keyset', limit: p.limit };
}

export function customerListQuery(p: Static<typeof CustomerListQuery>): ListQueryOf<'customers'> {
  const sort: SortTerm[] = [{ key: CUSTOMER_SORT[p.sort_by ?? 'name'], dir: p.sort_dir ?? 'asc' }];
  const kybStatuses = csv('kyb_statuses', p.kyb_statuses, KYB_STATUSES);
  const kycStatuses = csv('kyc_statuses', p.kyc_statuses, KYC_STATUSES);
  const appStatuses = csv('application_statuses', p.application_statuses, APPLICATION_STATUSES);
  const filter = and(
    p.external_id !== undefined ? eq('external_id', p.external_id) : undefined,
    p.kyb_status !== undefined ? eq('kyb_status', p.kyb_status) : undefined,
    kybStatuses ? inList('kyb_status', kybStatuses) : undefined,
    kycStatuses ? inList('kyc_status', kycStatuses) : undefined,
    // A customer without an application has no status, so `in` already leaves it out.
    appStatuses ? inList('application_status', appStatuses) : undefined,
    p.sub_client_id !== undefined ? { kind: 'childOf', parent: { by: 'id', value: p.sub_client_id } } : undefined,
    p.is_sub_client === true ? eq('is_sub_client', true) : undefined,
    createdRange(p.created_at_from, p.created_at_to),
  );
  return listQuery({
    resource: 'customers',
    filter,
    search: p.search ? { term: p.search, fields: ['name', 'email', 'id'], mode: 'substring' } : undefined,
    sort,
    page: page(p),
    count: true,
  });
}

export function userListQuery(p: Static<typeof UserListQuery>): ListQueryOf<'users'> {
  const sort: SortTerm[] = [{ key: USER_SORT[p.sort_by ?? 'created_at'], dir: p.sort_dir ?? 'desc' }];
  const roles = csv('roles', p.roles, USER_ROLES);
  return listQuery({
    resource: 'users',
    filter: and(roles ? inList('role', roles) : undefined, createdRange(p.created_at_from, p.created_at_to)),
    search: p.search ? { term: p.search, fields: ['name', 'first_name', 'last_name', 'email', 'id'], mode: 'substring' } : undefined,
    sort,
    page: page(p),
    count: true,
  });
}
