import { Type } from '@sinclair/typebox';
import type { RelationsOf } from '../../core/list-query.ts';
import { invalid } from '../../core/errors.ts';
import { StringEnum } from '../../http/string-enum.ts';
import { Customer, User } from './schemas.ts';

// What a native read returns: which fields of each record (`fields`), which related records
// embedded in it (`expand`), and how lists count (`count`). Schemas that validate and document
// them, and what they mean in the query tree.

const RELATIONS = ['parent', 'operator'] as const satisfies readonly RelationsOf['customers'][];
/** The fields a caller may name: the documented record's own properties (not its expansions). */
const CUSTOMER_FIELDS = Object.keys(Customer.properties).filter((name) => !(RELATIONS as readonly string[]).includes(name));
const USER_FIELDS = Object.keys(User.properties);

const fieldsParam = (names: string[]) =>
  Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 2000,
      description: `Comma-separated fields to return; every other field is left out of each record and is not built by the database. Any of ${names.join(', ')}. An unknown field is a 400.`,
    }),
  );

export const customerFields = { fields: fieldsParam(CUSTOMER_FIELDS) };
export const userFields = { fields: fieldsParam(USER_FIELDS) };
export const customerExpand = {
  expand: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description:
        "Comma-separated related customers to embed in each record under their own key: `parent` (the owner, `parent_id`) and `operator` (the nearest operator above, `operator_id`). Each is the related customer's full record, as its own GET returns it, or `null` where there is none. Independent of `fields`. An unknown name is a 400.",
    }),
  ),
};

export const countParam = {
  count: StringEnum(['none', 'exact', 'estimated', 'false', 'true'] as const, {
    default: 'none',
    description:
      '`exact` (or `true`): include `total_count`, the exact number of matching records. `estimated`: include `total_count` and `total_count_estimated`: ' +
      "the query planner's estimate (`total_count_estimated: true`), or the exact count (`false`) where that costs no more: where the counters Roster keeps answer the query " +
      "(no filter, or equalities on any of type, country, status, kyb_status, kyc_status, application_status, is_sub_client), where an exact count is cached since the account's last write, and for every search. " +
      '`none` (or `false`): no count. See the native README, "Counting".',
  }),
};

const split = (s: string) =>
  s
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** The named fields, in the record's own order, each once; undefined when none are asked for. */
function namedFields(param: string, value: string | undefined, allowed: readonly string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const names = split(value);
  if (names.length === 0) throw invalid(param, 'must name at least one field');
  const unknown = names.find((n) => !allowed.includes(n));
  if (unknown !== undefined) throw invalid(param, `unknown field "${unknown}"; use any of ${allowed.join(', ')}`);
  return allowed.filter((a) => names.includes(a));
}

export const parseCustomerFields = (value: string | undefined) => namedFields('fields', value, CUSTOMER_FIELDS);
export const parseUserFields = (value: string | undefined) => namedFields('fields', value, USER_FIELDS);

export function parseExpand(value: string | undefined): RelationsOf['customers'][] | undefined {
  if (value === undefined) return undefined;
  const names = split(value);
  if (names.length === 0) throw invalid('expand', 'must name at least one relation');
  const unknown = names.find((n) => !(RELATIONS as readonly string[]).includes(n));
  if (unknown !== undefined) throw invalid('expand', `unknown relation "${unknown}"; use any of ${RELATIONS.join(', ')}`);
  return RELATIONS.filter((r) => names.includes(r));
}

/** The query tree's count for a `count` value. */
export function countMode(value: (typeof countParam.count)['enum'][number]): boolean | 'estimated' {
  return value === 'estimated' ? 'estimated' : value === 'exact' || value === 'true';
}
