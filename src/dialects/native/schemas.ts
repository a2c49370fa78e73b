import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../http/string-enum.ts';
import { APPLICATION_DECISIONS, APPLICATION_STATUSES, CUSTOMER_TYPES, KYB_STATUSES, KYC_STATUSES, USER_ROLES } from '../../core/model.ts';

// One schema per shape: it validates requests, types the handlers, filters and serializes
// responses, and documents the API in OpenAPI.

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Obj = Type.Object({}, { additionalProperties: true });
const Enum = StringEnum;
const Time = Type.String({ format: 'date-time' });

export const KycLink = Type.Object({
  provider_id: Type.String({ minLength: 1, maxLength: 100 }),
  link_type: Enum(['persona', 'tos'] as const),
  url: Type.String({ minLength: 1, maxLength: 2048 }),
  status: Type.String({ minLength: 1, maxLength: 40 }),
  created_at: Time,
  updated_at: Time,
  expires_at: Type.Optional(Type.Union([Time, Type.Null()])),
  deleted_at: Type.Optional(Type.Union([Time, Type.Null()])),
});

export const Application = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 255 }),
  status: Enum(APPLICATION_STATUSES),
  decision: Type.Optional(Type.Union([Enum(APPLICATION_DECISIONS), Type.Null()])),
  url: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
  expires_at: Type.Optional(Type.Union([Time, Type.Null()])),
});

export const ProductAccount = Type.Object({
  product: Type.String({ minLength: 1, maxLength: 40 }),
  kyc_status: Type.String({ minLength: 1, maxLength: 40 }),
  kyc_approved_at: Type.Optional(Type.Union([Time, Type.Null()])),
  current_market_value: Type.String({ pattern: '^-?\\d{1,18}(\\.\\d{1,2})?$', description: 'Exact decimal, at most two decimals' }),
});

const writable = {
  external_id: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 255 }))),
  type: Type.Optional(Enum(CUSTOMER_TYPES)),
  name: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  first_name: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  last_name: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 320 }))),
  phone_number: Type.Optional(Nullable(Type.String({ pattern: '^\\+?[1-9]\\d{1,14}$' }))),
  country: Type.Optional(Nullable(Type.String({ pattern: '^[A-Z]{2}$' }))),
  gender: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  date_of_birth: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  addresses: Type.Optional(Type.Array(Obj)),
  company: Type.Optional(Type.Union([Obj, Type.Null()])),
  status: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  metadata: Type.Optional(Obj),
  attributes: Type.Optional(Obj),
  marketing_consent: Type.Optional(Type.Union([Obj, Type.Null()])),
  enrolled_by: Type.Optional(Type.Union([Obj, Type.Null()])),
  term: Type.Optional(Type.Union([Obj, Type.Null()])),
  favorite_store: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  contact_for: Type.Optional(Type.Array(Obj)),
  kyb_status: Type.Optional(Enum(KYB_STATUSES)),
  kyc_links: Type.Optional(Type.Array(KycLink)),
  provider_statuses: Type.Optional(Type.Array(Obj)),
  application: Type.Optional(Type.Union([Application, Type.Null()])),
  product_accounts: Type.Optional(Type.Array(ProductAccount)),
  tags: Type.Optional(Type.Array(Type.String({ format: 'uuid' }))),
  parent_id: Type.Optional(Nullable(Type.String({ pattern: '^[0-9A-Za-z]{27}$' }))),
  is_sub_client: Type.Optional(Type.Boolean()),
  extensions: Type.Optional(Obj),
};

export const CustomerCreate = Type.Object(writable, { additionalProperties: false, $id: 'CustomerCreate' });
export const CustomerUpdate = Type.Object(writable, { additionalProperties: false, minProperties: 1, $id: 'CustomerUpdate' });
export type CustomerCreate = Static<typeof CustomerCreate>;

const NStr = Type.Union([Type.String(), Type.Null()]);
export const Customer = Type.Object(
  {
    id: Type.String(),
    number: Type.Integer(),
    uuid: Type.String({ format: 'uuid' }),
    external_id: NStr,
    type: Enum(CUSTOMER_TYPES),
    name: NStr,
    display_name: Type.Union([Type.String(), Type.Null()], { description: 'The name to show: `name`, else `first_name` and `last_name`. Lists sort and search by it (read-only)' }),
    first_name: NStr,
    last_name: NStr,
    email: NStr,
    phone_number: NStr,
    country: NStr,
    gender: NStr,
    date_of_birth: NStr,
    addresses: Type.Array(Obj),
    company: Type.Union([Obj, Type.Null()]),
    status: NStr,
    metadata: Obj,
    attributes: Obj,
    marketing_consent: Type.Union([Obj, Type.Null()]),
    enrolled_by: Type.Union([Obj, Type.Null()]),
    term: Type.Union([Obj, Type.Null()]),
    favorite_store: NStr,
    contact_for: Type.Array(Obj),
    kyb_status: Enum(KYB_STATUSES),
    kyc_status: Enum(KYC_STATUSES),
    kyc_links: Type.Array(Obj),
    provider_statuses: Type.Array(Obj),
    application: Type.Union([Obj, Type.Null()]),
    application_status: NStr,
    product_accounts: Type.Array(Type.Object({ product: Type.String(), kyc_status: Type.String(), kyc_approved_at: NStr, current_market_value: Type.String() })),
    tags: Type.Array(Type.String()),
    parent_id: NStr,
    parent_number: Type.Union([Type.Integer(), Type.Null()]),
    parent_name: NStr,
    ancestors: Type.Array(Type.String(), { description: 'Ids of the owners above this customer, from the top of its hierarchy down to its parent' }),
    operator_id: NStr,
    operator_number: Type.Union([Type.Integer(), Type.Null()]),
    operator_name: NStr,
    is_sub_client: Type.Boolean(),
    extensions: Obj,
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    deleted_at: NStr,
    created_by: NStr,
    deleted_by: NStr,
    // Present only when asked for with `expand`: related records, which no field of its own holds.
    parent: Type.Optional(Type.Union([Type.Ref('Customer'), Type.Null()], { description: 'With `expand=parent`: the customer `parent_id` names, as its own GET returns it; null when there is none' })),
    operator: Type.Optional(
      Type.Union([Type.Ref('Customer'), Type.Null()], { description: 'With `expand=operator`: the customer `operator_id` names, as its own GET returns it; null when there is none' }),
    ),
  },
  { $id: 'Customer', description: 'A customer. With `fields`, only the named fields are present.' },
);

export const User = Type.Object(
  {
    id: Type.String(),
    first_name: Type.String(),
    last_name: Type.String(),
    email: Type.String(),
    role: Enum(USER_ROLES),
    swift_enabled: Type.Boolean(),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    deleted_at: NStr,
  },
  { $id: 'User', description: 'A team user. With `fields`, only the named fields are present.' },
);

export const UserCreate = Type.Object(
  {
    first_name: Type.String({ minLength: 1, maxLength: 255 }),
    last_name: Type.String({ minLength: 1, maxLength: 255 }),
    email: Type.String({ format: 'email', maxLength: 320 }),
    role: Enum(USER_ROLES),
    swift_enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const UserUpdate = Type.Partial(UserCreate, { additionalProperties: false, minProperties: 1 });

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String(), code: Type.Optional(Type.String()) }))),
  },
  { $id: 'Problem' },
);

const listMeta = {
  has_more_after: Type.Boolean(),
  has_more_before: Type.Boolean(),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page' }),
  prev_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the previous page (the cursor itself says which way to read)' }),
  total_count: Type.Optional(Type.Integer({ description: 'With `count`: how many records match over all pages (exact unless `total_count_estimated` is true)' })),
  total_count_estimated: Type.Optional(Type.Boolean({ description: "With `count=estimated`: whether `total_count` is the query planner's estimate (true) or exact (false)" })),
};

export const CustomerList = Type.Object({ object: Type.Literal('list'), data: Type.Array(Type.Ref('Customer')), ...listMeta });
export const UserList = Type.Object({ object: Type.Literal('list'), data: Type.Array(Type.Ref('User')), ...listMeta });

export const IdParam = Type.Object({ id: Type.String({ pattern: '^[0-9A-Za-z]{27}$' }) });

export const DeleteCustomerQuery = Type.Object({
  detach_children: Type.Optional(Type.Boolean({ default: false, description: 'Detach the live customers this one owns instead of refusing the delete' })),
});
