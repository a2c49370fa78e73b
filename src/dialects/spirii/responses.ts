import { Type } from '@sinclair/typebox';
import { component } from '../../http/openapi-document.ts';
import { StringEnum } from '../../http/string-enum.ts';
import { SPIRII_TYPES } from './types.ts';

// What Spirii's routes answer, as render.ts and errors.ts write it: the response schemas of the
// dialect's OpenAPI document (openapi.ts), which the contract tests hold every response to.

const Settings = Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]);
// Inline where it may be null: OpenAPI 3.0 cannot mark a $ref nullable.
const Party = Type.Object({ id: Type.Integer(), name: Type.Union([Type.String(), Type.Null()]) });

export const Customer = component(
  'Customer',
  Type.Object({
    id: Type.Integer({ description: 'The customer id.' }),
    name: Type.Union([Type.String(), Type.Null()]),
    externalId: Type.Union([Type.String(), Type.Null()]),
    type: StringEnum(SPIRII_TYPES),
    country: Type.Union([Type.String(), Type.Null()], { description: 'ISO 3166-1 alpha-2 country code.' }),
    contactDetails: Type.Object({}, { additionalProperties: true, description: 'name, email and phone.' }),
    billingDetails: Settings,
    cpo: Type.Union([Party, Type.Null()], { description: 'The CPO above the customer, also known as Operator.' }),
    owner: Type.Union([Party, Type.Null()], { description: 'The owner of the customer, also known as parent.' }),
    locations: Type.Array(Type.Integer()),
    payoutInformation: Settings,
    financialSetup: Settings,
    billingSettings: Settings,
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  }),
);

export const CustomerList = component(
  'CustomerList',
  Type.Object({
    data: Type.Array(Customer),
    count: Type.Integer({ description: 'How many customers the filters match, over all pages.' }),
    limit: Type.Integer(),
    offset: Type.Integer(),
  }),
);

export const ErrorBody = component(
  'Error',
  Type.Object({
    error: Type.Object({
      type: StringEnum(['invalid_request', 'authentication_error', 'permission_error', 'not_found', 'conflict', 'rate_limited', 'api_error'] as const),
      code: Type.String({ examples: ['invalid_parameter'] }),
      message: Type.String(),
      param: Type.Optional(Type.String({ description: 'The parameter or field the error is about.' })),
      request_id: Type.String(),
    }),
  }),
);
