import { Type, type Static } from '@sinclair/typebox';
import { component } from '../../http/openapi-document.ts';
import { StringEnum } from '../../http/string-enum.ts';

// Request schemas of the Dintero Customers API: they validate and type the handlers and feed
// the OpenAPI document. Responses are rendered by render.ts and sent as they are.

export const DINTERO_TYPES = ['customer', 'company', 'contact', 'employee', 'other'] as const;
export type DinteroType = (typeof DINTERO_TYPES)[number];

const Enum = StringEnum;
const Obj = Type.Object({}, { additionalProperties: true });
const NStr = (opts = {}) => Type.Union([Type.String(opts), Type.Null()]);
/** Dintero's own ids: no leading or trailing spaces. */
const OwnId = Type.String({ minLength: 1, maxLength: 255, pattern: '^\\S(.*\\S)?$' });

const Aid = Type.String({ maxLength: 64 });
/** A customer_id as a path names it: up to 255 characters, like the ids Dintero accepts. */
const PathId = Type.String({ maxLength: 255 });
export const AidParams = Type.Object({ aid: Aid });
export const CustomerParams = Type.Object({ aid: Aid, customer_id: PathId });
export const TagParams = Type.Object({ aid: Aid, tag_id: Type.String({ maxLength: 64 }) });
export const TokenParams = Type.Object({ aid: Aid, customer_id: PathId, tid: PathId });

export const TokenRequest = Type.Object(
  {
    grant_type: Type.String({ minLength: 1, maxLength: 64 }),
    audience: Type.Optional(Type.String({ maxLength: 2048 })),
    client_id: Type.Optional(Type.String({ maxLength: 255 })),
    client_secret: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: true },
);

const Strings4 = Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 4 });

export const CustomerListQuery = Type.Object({
  token_value: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  token_type: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  email: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
  phone_number: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  type: Type.Optional(Enum([...DINTERO_TYPES, 'any'] as const)),
  search: Type.Optional(Type.String({ maxLength: 200 })),
  tag_id: Type.Optional(Type.String({ format: 'uuid' })),
  include_deleted: Type.Boolean({ default: false }),
  attributes_keys: Type.Optional(Strings4),
  attributes_values: Type.Optional(Strings4),
  since_datetime: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  starting_after: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  total: Type.Boolean({ default: false }),
});
export type CustomerListQuery = Static<typeof CustomerListQuery>;

export const ExistsQuery = Type.Object({
  email: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
  phone_number: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
});

const Address = Type.Object(
  {
    address_line: Type.String({ maxLength: 255 }),
    address_line_2: Type.Optional(Type.String({ maxLength: 255 })),
    postal_code: Type.Optional(Type.String({ maxLength: 255 })),
    postal_place: Type.String({ maxLength: 255 }),
    country: Type.String({ maxLength: 255 }),
    latitude: Type.Optional(Type.Number()),
    longitude: Type.Optional(Type.Number()),
    type: Type.Optional(Enum(['custom', 'home', 'other', 'work'] as const)),
    custom_type: Type.Optional(Type.String({ maxLength: 255 })),
    comment: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);

const Company = Type.Object(
  {
    organization_number: Type.Optional(Type.String({ maxLength: 255 })),
    bussiness_name: Type.String({ minLength: 1, maxLength: 255 }),
    department: Type.Optional(Type.String({ maxLength: 255 })),
    industry: Type.Optional(Type.String({ maxLength: 255 })),
    website: Type.Optional(Type.String({ maxLength: 255 })),
    number_of_employees: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);

const Consent = Type.Object({ consent: Type.Optional(Type.Boolean()), updated_at: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false });

/** BasicUser: the writable details of a customer. */
const basicUser = {
  type: Type.Optional(Enum(DINTERO_TYPES)),
  first_name: Type.Optional(NStr({ maxLength: 255 })),
  last_name: Type.Optional(NStr({ maxLength: 255 })),
  email: Type.Optional(NStr({ format: 'email', maxLength: 320 })),
  phone_number: Type.Optional(NStr({ pattern: '^\\+?[1-9]\\d{1,14}$' })),
  attributes: Type.Optional(Obj),
  status: Type.Optional(NStr({ maxLength: 255 })),
  favorite_store: Type.Optional(NStr({ maxLength: 255 })),
  enrolled_by: Type.Optional(Type.Object({ type: Type.Optional(Type.String({ maxLength: 255 })), value: Type.Unknown() }, { additionalProperties: false })),
  marketing_consent: Type.Optional(Type.Object({ sms: Type.Optional(Consent), email: Type.Optional(Consent) }, { additionalProperties: false })),
  addresses: Type.Optional(Type.Array(Address)),
  term: Type.Optional(Type.Object({ id: Type.Optional(Type.String({ format: 'uuid' })), accepted_at: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false })),
  company: Type.Optional(Company),
  gender: Type.Optional(NStr({ maxLength: 64 })),
  date_of_birth: Type.Optional(NStr({ format: 'date' })),
  contact_for: Type.Optional(Type.Array(Type.Object({ customer_id: Type.String({ maxLength: 255 }) }, { additionalProperties: false }), { maxItems: 1000 })),
  metadata: Type.Optional(Type.Union([Obj, Type.Null()])),
  password: Type.Optional(Type.String({ maxLength: 255 })),
  pin: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
};

/** Read-only fields a client may send back unchanged (e.g. a fetched record); they are ignored. */
const Ignored = Type.Optional(Type.String({ maxLength: 255 }));
const readOnly = { id: Ignored, created_at: Ignored, created_by: Ignored, updated_at: Ignored, deleted_at: Ignored, deleted_by: Ignored };

export const CustomerCreate = component('CustomerCreate', Type.Object({ ...basicUser, ...readOnly, customer_id: Type.Optional(OwnId) }, { additionalProperties: false }));
export type CustomerCreate = Static<typeof CustomerCreate>;
export const CustomerUpdate = component('CustomerUpdate', Type.Object({ ...basicUser, ...readOnly, customer_id: Type.Optional(Type.String({ maxLength: 255 })) }, { additionalProperties: false }));
export type CustomerUpdate = Static<typeof CustomerUpdate>;

export const ChangeCustomerId = component('ChangeCustomerId', Type.Object({ customer_id: OwnId }, { additionalProperties: false }));

export const DeleteQuery = Type.Object({ delete_tokens: Type.Optional(Type.Boolean()) });

export const TagCreate = component('TagCreate', Type.Object({ tag: Type.String({ minLength: 1, maxLength: 255 }), metadata: Type.Optional(Obj), ...readOnly }, { additionalProperties: false }));
export const TagIds = Type.Array(Type.String({ format: 'uuid' }), { maxItems: 1000 });

export const TokenCreate = Type.Object(
  {
    token_id: Type.Optional(OwnId),
    type: Type.String({ minLength: 1, maxLength: 100 }),
    value: Type.String({ minLength: 1, maxLength: 500 }),
    metadata: Type.Optional(Obj),
    ...readOnly,
  },
  { additionalProperties: false },
);

export const TokenListQuery = Type.Object({
  type: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  starting_after: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  total: Type.Boolean({ default: false }),
  include_deleted: Type.Boolean({ default: false }),
});
export const TokenCreateQuery = Type.Object({ delete_token_events: Type.Optional(Type.Boolean()) });
