import { openapiDocument, type Operation, type Response } from '../../http/openapi-document.ts';
import * as D from './docs.ts';

// InvestiFi's Partner API, read-only: its two operations from docs.ts. Served at
// /investifi/openapi.json (src/http/references.ts); paths as the vendor writes them, under v1.

const error = (description: string): Response => ({ description, schema: D.HTTPError });
const ERRORS = {
  '401': error('Not authenticated: no x-api-key, or an invalid one'),
  '403': error('The key may not read'),
  '422': { description: 'Validation Error', schema: D.HTTPValidationError },
};
const tags = ['Users'];

export const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/users/',
    operationId: 'get_user_list_users__get',
    tags,
    summary: 'Get User List',
    description: 'Returns a paginated list of users matching the given filters.',
    query: D.UserListQuery,
    responses: { '200': { description: 'Successful Response', schema: D.PartnerUserList }, ...ERRORS },
  },
  {
    method: 'get',
    path: '/users/{user_account_id}/',
    operationId: 'get_user_detail_users__user_account_id___get',
    tags,
    summary: 'Get User Detail',
    description: 'The user with this partner-supplied account id.',
    path_params: D.UserParams,
    responses: { '200': { description: 'Successful Response', schema: D.PartnerUser }, ...ERRORS, '404': error('User not found') },
  },
];

export const INVESTIFI_DOCUMENT = openapiDocument(
  {
    info: {
      title: 'InvestiFi Partner API',
      version: '1.0.0',
      description: "Roster's InvestiFi dialect: the partner's users and their product accounts, read-only. Authenticate with the `x-api-key` header.",
    },
    security: [{ APIKeyHeader: [] }],
    securitySchemes: { APIKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
  },
  OPERATIONS,
);
