import { Type } from '@sinclair/typebox';
import { openapiDocument, type Operation, type Response } from '../../http/openapi-document.ts';
import * as R from './responses.ts';
import * as S from './schemas.ts';

// Dintero's OpenAPI document, made from the schemas its routes validate with (schemas.ts) and
// describe their answers with (responses.ts): the Customers API Roster serves, and the token
// endpoint its bearer JWTs come from. Served at /dintero/openapi.json (src/http/references.ts).

const DOCS = 'https://docs.dintero.com/docs/customers';
const error = (description: string): Response => ({ description, schema: R.ErrorBody });
const ERRORS = {
  '400': error('Bad request: a parameter or the body is not valid'),
  '401': error('Missing or invalid access token'),
  '403': error('The token lacks the scope, or names another account'),
  '404': error('Customer not found'),
};
const LIST_HEADERS = {
  'paging-token': { description: 'Pass as starting_after for the next page; absent on the last one.', schema: Type.String() },
  'total-count': { description: 'The number of customers the query matches, when total=true.', schema: Type.Integer() },
};
const USERS = '/accounts/{aid}/customers/users';
const CUSTOMER = `${USERS}/{customer_id}`;
const TOKENS = `${CUSTOMER}/tokens`;
const tag = ['Customers'];

export const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/accounts/{aid}/auth/token',
    operationId: 'aid_auths_oauth_token_post',
    tags: ['Authentication'],
    summary: 'Get token',
    description:
      'The client-credentials grant: authenticate with HTTP Basic (client_id:client_secret), or with client_id and client_secret in the body. The audience is the account URL, e.g. `https://api.dintero.com/v1/accounts/{aid}`. The access_token answered is the bearer JWT every other operation takes.',
    path_params: S.AidParams,
    body: { schema: S.TokenRequest, types: ['application/json', 'application/x-www-form-urlencoded'] },
    security: [{ basicAuth: [] }, {}],
    responses: {
      '200': { description: 'An access token', schema: R.AccessToken },
      '400': error('Bad request'),
      '401': error('Invalid client credentials'),
      '403': error('The client has no grant for the account or audience'),
      '429': error('Too many failed attempts'),
    },
  },
  {
    method: 'get',
    path: USERS,
    operationId: 'customers_users_get',
    tags: tag,
    summary: 'Customer collection',
    description:
      'Customers of the account, newest first, paged with starting_after and the paging-token header. since_datetime returns customers changed at or after that time, oldest change first: resume from the latest updated_at of a page.',
    path_params: S.AidParams,
    query: S.CustomerListQuery,
    responses: { '200': { description: 'Customer collection', schema: R.CustomerList, headers: LIST_HEADERS }, ...ERRORS },
    externalDocs: { description: 'Dintero: Customer collection', url: DOCS },
  },
  {
    method: 'post',
    path: USERS,
    operationId: 'customers_users_post',
    tags: tag,
    summary: 'Create a customer',
    path_params: S.AidParams,
    body: { schema: S.CustomerCreate },
    responses: {
      '200': { description: 'The customer created', schema: R.Customer },
      '400': error('Bad request, or a customer_id, email or phone_number already in use'),
      '401': ERRORS['401'],
      '403': ERRORS['403'],
    },
  },
  {
    method: 'get',
    path: CUSTOMER,
    operationId: 'customers_user_get',
    tags: tag,
    summary: 'Customer details',
    path_params: S.CustomerParams,
    responses: { '200': { description: 'The customer', schema: R.Customer }, ...ERRORS },
  },
  {
    method: 'put',
    path: CUSTOMER,
    operationId: 'customers_user_put',
    tags: tag,
    summary: 'Update a customer',
    description: 'A partial update: only the fields sent change. A metadata key set to null is removed.',
    path_params: S.CustomerParams,
    body: { schema: S.CustomerUpdate },
    responses: { '200': { description: 'The customer updated', schema: R.Customer }, ...ERRORS },
  },
  {
    method: 'delete',
    path: CUSTOMER,
    operationId: 'customers_user_delete',
    tags: tag,
    summary: 'Delete a customer',
    path_params: S.CustomerParams,
    query: S.DeleteQuery,
    responses: { '200': { description: 'The customer deleted', schema: R.Customer }, ...ERRORS },
  },
  {
    method: 'post',
    path: `${CUSTOMER}/change_customer_id`,
    operationId: 'customers_user_change_customer_id',
    tags: tag,
    summary: 'Change the customer_id of a customer',
    description: 'Needs the admin:customers or admin:accounts scope. Each change is recorded in the customer metadata.',
    path_params: S.CustomerParams,
    body: { schema: S.ChangeCustomerId },
    responses: { '200': { description: 'The customer with its new customer_id', schema: R.Customer }, ...ERRORS },
  },
  {
    method: 'get',
    path: '/accounts/{aid}/customers/tags',
    operationId: 'customers_tags_get',
    tags: ['Tags'],
    summary: 'All customer tags',
    path_params: S.AidParams,
    responses: { '200': { description: 'The tags of the account', schema: R.TagList }, '401': ERRORS['401'], '403': ERRORS['403'] },
  },
  {
    method: 'post',
    path: '/accounts/{aid}/customers/tags',
    operationId: 'customers_tags_post',
    tags: ['Tags'],
    summary: 'Create a tag',
    path_params: S.AidParams,
    body: { schema: S.TagCreate },
    responses: { '200': { description: 'The tag created', schema: R.Tag }, '400': ERRORS['400'], '401': ERRORS['401'], '403': ERRORS['403'] },
  },
  {
    method: 'delete',
    path: '/accounts/{aid}/customers/tags/{tag_id}',
    operationId: 'customers_tag_delete',
    tags: ['Tags'],
    summary: 'Delete a tag',
    description: 'The tag is removed from every customer that carries it.',
    path_params: S.TagParams,
    responses: { '200': { description: 'The tag deleted', schema: R.Tag }, '401': ERRORS['401'], '403': ERRORS['403'], '404': error('Tag not found') },
  },
  {
    method: 'get',
    path: `${CUSTOMER}/tags`,
    operationId: 'customers_user_tags_get',
    tags: ['Tags'],
    summary: 'Tags of a customer',
    path_params: S.CustomerParams,
    responses: { '200': { description: 'The tags the customer carries', schema: R.TagList }, ...ERRORS },
  },
  {
    method: 'put',
    path: `${CUSTOMER}/tags`,
    operationId: 'customers_user_tags_put',
    tags: ['Tags'],
    summary: 'Set the tags of a customer',
    description: 'The body is the complete set of tag ids the customer should carry.',
    path_params: S.CustomerParams,
    body: { schema: S.TagIds },
    responses: { '200': { description: 'The tags the customer now carries', schema: R.TagList }, ...ERRORS },
  },
  {
    method: 'get',
    path: TOKENS,
    operationId: 'customers_user_tokens_get',
    tags: ['Tokens'],
    summary: 'Tokens of a customer',
    path_params: S.CustomerParams,
    query: S.TokenListQuery,
    responses: { '200': { description: 'A page of tokens', schema: R.TokenList, headers: LIST_HEADERS }, ...ERRORS },
  },
  {
    method: 'post',
    path: TOKENS,
    operationId: 'customers_user_tokens_post',
    tags: ['Tokens'],
    summary: 'Add a token to a customer',
    path_params: S.CustomerParams,
    query: S.TokenCreateQuery,
    body: { schema: S.TokenCreate },
    responses: { '201': { description: 'The token added', schema: R.Token }, ...ERRORS },
  },
  {
    method: 'delete',
    path: `${TOKENS}/{tid}`,
    operationId: 'customers_user_token_delete',
    tags: ['Tokens'],
    summary: 'Delete a token',
    path_params: S.TokenParams,
    responses: { '200': { description: 'The token deleted', schema: R.Token }, ...ERRORS },
  },
];

export const DINTERO_DOCUMENT = openapiDocument(
  {
    info: {
      title: 'Dintero Customers API',
      version: '1.0.0',
      description:
        "Roster's Dintero dialect: Dintero's customers, tags and tokens. Get a token from `POST /accounts/{aid}/auth/token` with the client id and secret, then send `Authorization: Bearer <access_token>`.",
    },
    security: [{ bearerAuth: [] }],
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access_token from POST /accounts/{aid}/auth/token.' },
      basicAuth: { type: 'http', scheme: 'basic', description: 'client_id:client_secret, for the token endpoint.' },
    },
  },
  OPERATIONS,
);
