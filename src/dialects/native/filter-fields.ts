import type { CustomerField, FieldsOf, Resource, Scalar, UserField } from '../../core/list-query.ts';
import { parseInstant } from '../../core/instant.ts';
import { CUSTOMER_TYPES, KYB_STATUSES, KYC_STATUSES, APPLICATION_STATUSES, USER_ROLES } from '../../core/model.ts';

// The native fields an operator may name, what their values are, and which operators each
// takes. Both spellings of a condition (`country[in]=DK,SE` and `country.in.(DK,SE)` in a group)
// read their values here, so a value is checked the same way whichever way it was written.

export const OPERATORS = ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'prefix', 'contains', 'null'] as const;
export type Op = (typeof OPERATORS)[number];

type ValueKind = 'text' | 'enum' | 'integer' | 'time' | 'boolean' | 'uuid';

export interface NativeField<F extends string = string> {
  field: F;
  kind: ValueKind;
  /** The values an enumerated field holds. */
  values?: readonly string[];
  /** Records may have no value: the field takes `null`. */
  nullable?: boolean;
}

/** Ranges only where order means something to a caller (numbers and instants). */
const OPS_OF: Record<ValueKind, readonly Op[]> = {
  text: ['eq', 'neq', 'in', 'nin', 'prefix', 'contains'],
  enum: ['eq', 'neq', 'in', 'nin'],
  integer: ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte'],
  time: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'],
  boolean: ['eq', 'neq'],
  uuid: ['eq', 'neq', 'in', 'nin'],
};

/** The operators a field takes. */
export const opsOf = (f: NativeField): readonly Op[] => (f.nullable ? [...OPS_OF[f.kind], 'null'] : OPS_OF[f.kind]);

const text = <F extends string>(field: F, nullable = true): NativeField<F> => ({ field, kind: 'text', nullable });
const time = <F extends string>(field: F, nullable = false): NativeField<F> => ({ field, kind: 'time', nullable });
const enumerated = <F extends string>(field: F, values: readonly string[], nullable = false): NativeField<F> => ({ field, kind: 'enum', values, nullable });

const CUSTOMER_FIELDS: readonly NativeField<CustomerField>[] = [
  text('id', false),
  { field: 'number', kind: 'integer' },
  { field: 'uuid', kind: 'uuid' },
  text('external_id'),
  enumerated('type', CUSTOMER_TYPES),
  text('name'),
  text('first_name'),
  text('last_name'),
  text('email'),
  text('phone_number'),
  text('country'),
  text('status'),
  enumerated('kyb_status', KYB_STATUSES),
  enumerated('kyc_status', KYC_STATUSES),
  enumerated('application_status', APPLICATION_STATUSES, true),
  text('parent_id'),
  text('operator_id'),
  { field: 'is_sub_client', kind: 'boolean' },
  time('created_at'),
  time('updated_at'),
  time('deleted_at', true),
];

const USER_FIELDS: readonly NativeField<UserField>[] = [
  text('id', false),
  text('email', false),
  text('first_name', false),
  text('last_name', false),
  enumerated('role', USER_ROLES),
  time('created_at'),
  time('updated_at'),
  time('deleted_at', true),
];

export const NATIVE_FIELDS: { [R in Resource]: readonly NativeField<FieldsOf[R]>[] } = { customers: CUSTOMER_FIELDS, users: USER_FIELDS };

/** JSON objects whose top-level keys a filter may name (`metadata[tier]=gold`): customers only. */
export const JSON_FIELDS = ['metadata', 'attributes'] as const;
export type JsonField = (typeof JSON_FIELDS)[number];
export const JSON_OPS: readonly Op[] = ['eq', 'neq', 'in', 'nin', 'null'];

/** Longest single value, and most values in one list. */
export const MAX_VALUE_LENGTH = 500;
export const MAX_LIST = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGER = /^-?\d{1,15}$/;

/** One value of a field, checked and typed; the error names what is wrong, not where. */
export function fieldValue(f: NativeField, raw: string): Scalar {
  if (raw === '') throw new Error('needs a value');
  if (raw.length > MAX_VALUE_LENGTH) throw new Error(`a value is longer than ${MAX_VALUE_LENGTH} characters`);
  switch (f.kind) {
    case 'text':
      return raw;
    case 'enum':
      if (!f.values!.includes(raw)) throw new Error(`unknown value "${raw}"; use one of ${f.values!.join(', ')}`);
      return raw;
    case 'integer':
      if (!INTEGER.test(raw)) throw new Error(`"${raw}" is not an integer`);
      return Number(raw);
    case 'time':
      if (!parseInstant(raw)) throw new Error(`"${raw}" is not an RFC 3339 date-time (e.g. 2025-01-31T00:00:00Z)`);
      return raw;
    case 'boolean':
      return booleanValue(raw);
    case 'uuid':
      if (!UUID.test(raw)) throw new Error(`"${raw}" is not a UUID`);
      return raw.toLowerCase();
  }
}

export function booleanValue(raw: string): boolean {
  if (raw !== 'true' && raw !== 'false') throw new Error(`"${raw}" is not true or false`);
  return raw === 'true';
}

/** A JSON key as a filter names it. */
export function jsonKey(raw: string): string {
  if (raw === '' || raw.length > 100) throw new Error('a metadata or attributes key has 1 to 100 characters');
  return raw;
}
