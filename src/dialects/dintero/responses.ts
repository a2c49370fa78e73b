import { Type } from '@sinclair/typebox';
import { component } from '../../http/openapi-document.ts';
import { StringEnum } from '../../http/string-enum.ts';
import { DINTERO_TYPES } from './schemas.ts';

// What Dintero's routes answer, as render.ts writes it: the response schemas of the dialect's
// OpenAPI document (openapi.ts), which the contract tests hold every response to.

const Time = Type.String({ format: 'date-time' });
const NStr = Type.Union([Type.String(), Type.Null()]);
const Obj = Type.Object({}, { additionalProperties: true });
const NObj = Type.Union([Obj, Type.Null()]);

export const Customer = component(
  'Customer',
  Type.Object(
    {
      type: StringEnum(DINTERO_TYPES, { description: 'Describe type of a user.' }),
      customer_id: Type.String({ description: 'The customer id you have defined for the customer; generated when none was given.' }),
      id: Type.String({ format: 'uuid', description: 'An UUID that uniquely identifies the resource' }),
      metadata: Type.Optional(Obj),
      created_at: Time,
      created_by: Type.Optional(Type.String({ description: 'The ID of the user/client created the resource' })),
      updated_at: Type.Optional(Time),
      deleted_at: Type.Optional(Time),
      deleted_by: Type.Optional(Type.String()),
      first_name: Type.Optional(NStr),
      last_name: Type.Optional(NStr),
      email: Type.Optional(NStr),
      phone_number: Type.Optional(NStr),
      attributes: Type.Optional(Obj),
      status: Type.Optional(NStr),
      favorite_store: Type.Optional(NStr),
      enrolled_by: Type.Optional(Obj),
      marketing_consent: Type.Optional(Obj),
      addresses: Type.Optional(Type.Array(Obj)),
      term: Type.Optional(Obj),
      company: Type.Optional(NObj),
      gender: Type.Optional(NStr),
      date_of_birth: Type.Optional(NStr),
      contact_for: Type.Optional(Type.Array(Obj)),
    },
    { description: 'A customer. A deleted one keeps only its type, ids, and created and deleted fields.' },
  ),
);

export const CustomerList = component('CustomerList', Type.Array(Customer, { description: 'A page of customers; the next page is named by the paging-token header.' }));

export const Tag = component(
  'Tag',
  Type.Object({
    id: Type.String({ format: 'uuid' }),
    tag: Type.String(),
    metadata: Type.Optional(Obj),
    created_at: Time,
    created_by: Type.Optional(Type.String()),
    updated_at: Time,
    deleted_at: Type.Optional(Time),
  }),
);
export const TagList = component('TagList', Type.Array(Tag));

export const Token = component(
  'Token',
  Type.Object({
    id: Type.String({ format: 'uuid' }),
    token_id: Type.String(),
    type: Type.String(),
    value: Type.String(),
    metadata: Type.Optional(Obj),
    created_at: Time,
    created_by: Type.Optional(Type.String()),
    updated_at: Time,
    deleted_at: Type.Optional(Time),
    deleted_by: Type.Optional(Type.String()),
  }),
);
export const TokenList = component('TokenList', Type.Array(Token));

export const AccessToken = component(
  'AccessToken',
  Type.Object({
    access_token: Type.String({ description: 'A JWT: send it as Authorization: Bearer <access_token>.' }),
    token_type: StringEnum(['Bearer'] as const),
    expires_in: Type.Integer({ description: 'Seconds the token is valid for.' }),
  }),
);

export const ErrorBody = component(
  'Error',
  Type.Object({
    error: Type.Object({
      code: Type.String({ description: "The status's reason phrase in capitals, e.g. NOT FOUND.", examples: ['NOT FOUND'] }),
      message: Type.String(),
      errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String(), code: Type.Optional(Type.String()) }, { additionalProperties: true }))),
    }),
  }),
);
