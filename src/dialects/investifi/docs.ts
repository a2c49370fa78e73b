import { Type } from '@sinclair/typebox';
import { component } from '../../http/openapi-document.ts';
import { StringEnum } from '../../http/string-enum.ts';
import { KYC_PRODUCTS, SORT_KEYS, SORT_ORDERS } from './list-params.ts';

// The shapes of InvestiFi's requests and answers, as documentation: parameters are validated by
// parseUserListParams and Checker in the vendor's (FastAPI's) way, so these schemas are not
// compiled into validators. They feed the OpenAPI document (openapi.ts) and the tests that walk
// the routes; the contract tests hold every response to the answer schemas.

const str = (description: string) => Type.Optional(Type.String({ description }));
const kycFilters = Object.fromEntries(KYC_PRODUCTS.map((p) => [`${p}_kyc_status`, str(`Filter to users with this KYC state on their ${p} account.`)]));

export const UserListQuery = Type.Object({
  user_account_id: str('Filter to the user with this partner-supplied account id.'),
  product: str('Filter to users provisioned for this product.'),
  ...kycFilters,
  created_at_start: Type.Optional(Type.String({ format: 'date-time', description: "Lower bound (inclusive) on the user's created_at timestamp, UTC." })),
  created_at_end: Type.Optional(Type.String({ format: 'date-time', description: "Upper bound (exclusive) on the user's created_at timestamp, UTC." })),
  per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25, description: 'Maximum number of users to return per page.' })),
  last_record_number: Type.Optional(
    Type.Integer({
      minimum: 0,
      default: 0,
      description: 'The last_record_number of the previous response: the position of its last record, so the next page starts after it. 0 starts at the beginning.',
    }),
  ),
  sort_order: Type.Optional(StringEnum(SORT_ORDERS, { default: 'desc', description: 'Sort order on sort_key. Defaults to descending (most recent first).' })),
  sort_key: Type.Optional(StringEnum(SORT_KEYS, { default: 'created_at', description: 'Field to sort the results by. Defaults to created_at.' })),
});
export const UserParams = Type.Object({ user_account_id: Type.String({ maxLength: 255 }) });

// Route schemas: documentation for the tests that walk routes, hidden from Roster's own /docs.
export const listDocs = { tags: ['investifi'], summary: 'Get User List', querystring: UserListQuery };
export const detailDocs = { tags: ['investifi'], summary: 'Get User Detail', params: UserParams };

const Account = component(
  'UserAccount',
  Type.Object({
    current_market_value: Type.String({ description: 'A decimal amount with two fraction digits.', examples: ['34891.00'] }),
    kyc_approved_at: Type.Optional(Type.String({ format: 'date-time', description: 'Present when kyc_status is approved.' })),
    kyc_status: Type.String({ examples: ['approved'] }),
    product: Type.String({ examples: ['securities'] }),
  }),
);

export const PartnerUser = component(
  'PartnerUser',
  Type.Object({
    accounts: Type.Array(Account),
    total_current_market_value: Type.String({ description: 'The exact sum of the accounts current_market_value.', examples: ['98745.85'] }),
    user_account_id: Type.String({ examples: ['member-001'] }),
  }),
);

export const PartnerUserList = component(
  'PartnerUserList',
  Type.Object({
    items: Type.Array(PartnerUser),
    total_records: Type.Integer({ description: 'How many users the filters match.' }),
    last_record_number: Type.Integer({ description: 'The position of the last record of this page: pass it back for the next page; equal to total_records on the last page.' }),
    per_page: Type.Integer(),
  }),
);

export const HTTPError = component('HTTPError', Type.Object({ detail: Type.String() }));

export const HTTPValidationError = component(
  'HTTPValidationError',
  Type.Object({
    detail: Type.Array(
      component(
        'ValidationError',
        Type.Object({
          type: Type.String(),
          loc: Type.Array(Type.Union([Type.String(), Type.Integer()])),
          msg: Type.String(),
          input: Type.Unknown(),
          ctx: Type.Optional(Type.Object({}, { additionalProperties: true })),
        }),
      ),
    ),
  }),
);
