import { Type } from '@sinclair/typebox';
import { KYB_STATUSES, USER_ROLES } from '../../core/model.ts';

// Request schemas for Dakota's customers and users endpoints, as its OpenAPI states them.
// Responses are documented by the vendor contract served at /dakota/openapi.json.

const Enum = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

export const KSUID_PATTERN = '^[0-9A-Za-z]{27}$';
export const Ksuid = Type.String({ pattern: KSUID_PATTERN, minLength: 27, maxLength: 27 });

export const CustomerListQuery = Type.Object({
  starting_after: Type.Optional(Ksuid),
  ending_before: Type.Optional(Ksuid),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  external_id: Type.Optional(Type.String({ maxLength: 255 })),
  search: Type.Optional(Type.String({ maxLength: 200 })),
  kyb_status: Type.Optional(Enum(KYB_STATUSES)),
  kyb_statuses: Type.Optional(Type.String({ maxLength: 500 })),
  kyc_statuses: Type.Optional(Type.String({ maxLength: 500 })),
  application_statuses: Type.Optional(Type.String({ maxLength: 500 })),
  sub_client_id: Type.Optional(Ksuid),
  is_sub_client: Type.Optional(Type.Boolean()),
  sort_by: Type.Optional(Enum(['application_status', 'created_at', 'customer_type', 'id', 'kyb_status', 'kyc_status', 'name'] as const)),
  sort_dir: Type.Optional(Enum(['asc', 'desc'] as const)),
  created_at_from: Type.Optional(Type.String({ format: 'date-time' })),
  created_at_to: Type.Optional(Type.String({ format: 'date-time' })),
});

export const UserListQuery = Type.Object({
  starting_after: Type.Optional(Ksuid),
  ending_before: Type.Optional(Ksuid),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  search: Type.Optional(Type.String({ maxLength: 200 })),
  roles: Type.Optional(Type.String({ maxLength: 100 })),
  sort_by: Type.Optional(Enum(['created_at', 'email', 'name', 'role'] as const)),
  sort_dir: Type.Optional(Enum(['asc', 'desc'] as const)),
  created_at_from: Type.Optional(Type.String({ format: 'date-time' })),
  created_at_to: Type.Optional(Type.String({ format: 'date-time' })),
});

export const CustomerCreate = Type.Object({
  name: Type.String({ minLength: 3, maxLength: 100, pattern: '.*\\S.*' }),
  customer_type: Enum(['individual', 'business'] as const),
  external_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  sub_client_id: Type.Optional(Ksuid),
  is_sub_client: Type.Optional(Type.Boolean({ default: false })),
});

export const SubClientUpdate = Type.Object({
  sub_client_id: Type.Union([Ksuid, Type.Null()]),
});

export const UserCreate = Type.Object({
  first_name: Type.String({ minLength: 1, maxLength: 200 }),
  last_name: Type.String({ minLength: 1, maxLength: 200 }),
  email: Type.String({ format: 'email', maxLength: 320 }),
  role: Enum(USER_ROLES),
});

export const UserUpdate = Type.Object({
  first_name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  last_name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  role: Type.Optional(Enum(USER_ROLES)),
}, { additionalProperties: false });

export const CustomerIdParam = Type.Object({ customer_id: Ksuid });
export const UserIdParam = Type.Object({ user_id: Ksuid });

export const IdempotencyHeaders = Type.Object({
  'x-idempotency-key': Type.String({ format: 'uuid' }),
});
