import { Type, type Static } from '@sinclair/typebox';

// Request schemas of the Dintero Customers API: they validate and type the handlers and feed
// the OpenAPI document. Responses are rendered by render.ts and sent as they are.

export const DINTERO_TYPES = ['customer', 'company', 'contact', 'employee', 'other'] as const;
export type DinteroType = (typeof DINTERO_TYPES)[number];

const Enum = <T extends readonly string[]>(values: T, opts = {}) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });
const Obj = Type.Object({}, { additionalProperties: true });
const NStr = (opts = {}) => Type.Union([Type.String(opts), Type.Null()]);
/** Dintero's own ids: no leading or trailing spaces. */
const OwnId = Type.String({ minLength: 1, maxLength: 255, pattern: '^\\S(.*\\S)?$' });

export const AidParams = Type.Object({ aid: Type.String() });
export const CustomerParams = Type.Object({ aid: Type.String(), customer_id: Type.String() });
export const TagParams = Type.Object({ aid: Type.String(), tag_id: Type.String() });
export const TokenParams = Type.Object({ aid: Type.String(), customer_id: Type.String(), tid: Type.String() });

export const TokenRequest = Type.Object({
  grant_type: Type.String({ minLength: 1 }),
  audience: Type.Optional(Type.String()),
}, { additionalProperties: true });

const Strings4 = Type.Array(Type.String({ minLength: 1 }), { maxItems: 4 });

export const CustomerListQuery = Type.Object({
  token_value: Type.Optional(Type.String({ minLength: 1 })),
  token_type: Type.Optional(Type.String({ minLength: 1 })),
  email: Type.Optional(Type.String({ minLength: 1 })),
  phone_number: Type.Optional(Type.String({ minLength: 1 })),
  type: Type.Optional(Enum([...DINTERO_TYPES, 'any'] as const)),
  search: Type.Optional(Type.String()),
  tag_id: Type.Optional(Type.String({ format: 'uuid' })),
  include_deleted: Type.Boolean({ default: false }),
  attributes_keys: Type.Optional(Strings4),
  attributes_values: Type.Optional(Strings4),
  since_datetime: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  starting_after: Type.Optional(Type.String({ minLength: 1 })),
  total: Type.Boolean({ default: false }),
});
export type CustomerListQuery = Static<typeof CustomerListQuery>;

export const ExistsQuery = Type.Object({
  email: Type.Optional(Type.String({ minLength: 1 })),
  phone_number: Type.Optional(Type.String({ minLength: 1 })),
});

const Address = Type.Object({
  address_line: Type.String(),
  address_line_2: Type.Optional(Type.String()),
  postal_code: Type.Optional(Type.String()),
  postal_place: Type.String(),
  country: Type.String(),
  latitude: Type.Optional(Type.Number()),
  longitude: Type.Optional(Type.Number()),
  type: Type.Optional(Enum(['custom', 'home', 'other', 'work'] as const)),
  custom_type: Type.Optional(Type.String()),
  comment: Type.Optional(Type.String()),
}, { additionalProperties: false });

const Company = Type.Object({
  organization_number: Type.Optional(Type.String()),
  bussiness_name: Type.String({ minLength: 1 }),
  department: Type.Optional(Type.String()),
  industry: Type.Optional(Type.String()),
  website: Type.Optional(Type.String()),
  number_of_employees: Type.Optional(Type.String()),
}, { additionalProperties: false });

const Consent = Type.Object({ consent: Type.Optional(Type.Boolean()), updated_at: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false });

/** BasicUser: the writable details of a customer. */
const basicUser = {
  type: Type.Optional(Enum(DINTERO_TYPES)),
  first_name: Type.Optional(NStr({ maxLength: 255 })),
  last_name: Type.Optional(NStr({ maxLength: 255 })),
  email: Type.Optional(NStr({ format: 'email', maxLength: 320 })),
  phone_number: Type.Optional(NStr({ pattern: '^\\+?[1-9]\\d{1,14}$' })),
  attributes: Type.Optional(Obj),
  status: Type.Optional(NStr()),
  favorite_store: Type.Optional(NStr()),
  enrolled_by: Type.Optional(Type.Object({ type: Type.Optional(Type.String()), value: Type.Unknown() }, { additionalProperties: false })),
  marketing_consent: Type.Optional(Type.Object({ sms: Type.Optional(Consent), email: Type.Optional(Consent) }, { additionalProperties: false })),
  addresses: Type.Optional(Type.Array(Address)),
  term: Type.Optional(Type.Object({ id: Type.Optional(Type.String({ format: 'uuid' })), accepted_at: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false })),
  company: Type.Optional(Company),
  gender: Type.Optional(NStr()),
  date_of_birth: Type.Optional(NStr({ format: 'date' })),
  contact_for: Type.Optional(Type.Array(Type.Object({ customer_id: Type.String() }, { additionalProperties: false }))),
  metadata: Type.Optional(Type.Union([Obj, Type.Null()])),
  password: Type.Optional(Type.String()),
  pin: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
};

/** Read-only fields a client may send back unchanged (e.g. a fetched record); they are ignored. */
const readOnly = {
  id: Type.Optional(Type.String()),
  created_at: Type.Optional(Type.String()),
  created_by: Type.Optional(Type.String()),
  updated_at: Type.Optional(Type.String()),
  deleted_at: Type.Optional(Type.String()),
  deleted_by: Type.Optional(Type.String()),
};

export const CustomerCreate = Type.Object({ ...basicUser, ...readOnly, customer_id: Type.Optional(OwnId) }, { additionalProperties: false });
export type CustomerCreate = Static<typeof CustomerCreate>;
export const CustomerUpdate = Type.Object({ ...basicUser, ...readOnly, customer_id: Type.Optional(Type.String()) }, { additionalProperties: false });
export type CustomerUpdate = Static<typeof CustomerUpdate>;

export const ChangeCustomerId = Type.Object({ customer_id: OwnId }, { additionalProperties: false });

export const DeleteQuery = Type.Object({ delete_tokens: Type.Optional(Type.Boolean()) });

export const TagCreate = Type.Object({ tag: Type.String({ minLength: 1, maxLength: 255 }), metadata: Type.Optional(Obj), ...readOnly }, { additionalProperties: false });
export const TagIds = Type.Array(Type.String({ format: 'uuid' }), { maxItems: 1000 });

export const TokenCreate = Type.Object({
  token_id: Type.Optional(OwnId),
  type: Type.String({ minLength: 1, maxLength: 255 }),
  value: Type.String({ minLength: 1, maxLength: 1024 }),
  metadata: Type.Optional(Obj),
  ...readOnly,
}, { additionalProperties: false });

export const TokenListQuery = Type.Object({
  type: Type.Optional(Type.String({ minLength: 1 })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  starting_after: Type.Optional(Type.String({ minLength: 1 })),
  total: Type.Boolean({ default: false }),
  include_deleted: Type.Boolean({ default: false }),
});
export const TokenCreateQuery = Type.Object({ delete_token_events: Type.Optional(Type.Boolean()) });
