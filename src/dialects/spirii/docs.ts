import { Type } from '@sinclair/typebox';
import { component } from '../../http/openapi-document.ts';
import { SPIRII_TYPES } from './types.ts';
import { MAX_LIMIT, MAX_OFFSET, MAX_SEARCH } from './list-params.ts';

// The shapes of Spirii's requests, as documentation: the routes validate by hand (query-values,
// body.ts) in Spirii's own way, so these schemas are not compiled into validators. They say what
// each route takes, for the OpenAPI document and for tests that walk the routes (the fuzz test).

const time = Type.Optional(Type.String({ format: 'date-time' }));
const id = Type.Integer({ minimum: 1 });

export const ListQueryDoc = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0 })),
  sortBy: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: ['id', 'name', 'type', 'ownerName', 'cpoName', 'createdAt', 'updatedAt'] })),
  sortDirection: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: ['asc', 'desc'] })),
  search: Type.Optional(Type.String({ maxLength: MAX_SEARCH })),
  customerIds: Type.Optional(Type.Array(id)),
  types: Type.Optional(Type.Array(Type.Unsafe<string>({ type: 'string', enum: [...SPIRII_TYPES] }))),
  parentId: Type.Optional(id),
  ownerId: Type.Optional(id),
  operatorId: Type.Optional(id),
  createdAt: time,
  createdAtFrom: time,
  createdAtTo: time,
  updatedAt: time,
  updatedAtFrom: time,
  updatedAtTo: time,
});

export const IdParamDoc = Type.Object({ id });

const settings = Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]));
export const CustomerWriteDoc = component(
  'CustomerWrite',
  Type.Object({
    name: Type.String({ minLength: 1, maxLength: 80 }),
    externalId: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    type: Type.Unsafe<string>({ type: 'string', enum: ['Private', 'Business', 'CPOSubsidiary'] }),
    ownerId: id,
    contactDetails: Type.Object({
      name: Type.Optional(Type.String({ maxLength: 255 })),
      email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
      phone: Type.Optional(Type.String({ maxLength: 32 })),
    }),
    billingDetails: settings,
    payoutInformation: settings,
    financialSetup: settings,
    billingSettings: settings,
  }),
);
