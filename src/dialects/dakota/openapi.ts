import { openapiDocument, type Operation, type Response } from '../../http/openapi-document.ts';
import * as S from './schemas.ts';

// Dakota's OpenAPI document, made from the schemas its routes validate with (schemas.ts): the
// customers and users operations of Dakota's own document, their statuses and prose, served at
// /dakota/openapi.json (src/http/references.ts).

const DOCS = 'https://docs.dakota.xyz/api-reference';
const problem = (description: string): Response => ({ description, schema: S.ProblemDetails, type: 'application/problem+json' });
const STANDARD = { '400': problem('Invalid request'), '401': problem('Unauthorized'), '403': problem('Forbidden') };
const docs = (path: string) => ({ description: 'Read full guide in docs', url: `${DOCS}/${path}` });

export const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/customers',
    operationId: 'createCustomer',
    tags: ['Customers'],
    summary: 'Create a customer record',
    description: 'Creates a new customer for the authenticated client and returns the created customer record.',
    headers: S.IdempotencyHeaders,
    ignoredHeaders: S.SandboxHeaders,
    body: { schema: S.CustomerCreate },
    responses: { '201': { description: 'Customer record successfully created', schema: S.CustomerCreated }, ...STANDARD, default: { description: 'Unexpected error' } },
    externalDocs: docs('customers/create-a-customer-record'),
  },
  {
    method: 'get',
    path: '/customers',
    operationId: 'listCustomers',
    tags: ['Customers'],
    summary: 'List all customer records',
    description: 'Returns a paginated list of customers for the authenticated client. Supports cursor pagination and optional `external_id` or `search` filters.',
    query: S.CustomerListQuery,
    responses: { '200': { description: 'List of all customer records', schema: S.CustomerList }, ...STANDARD, default: { description: 'Unexpected error' } },
    externalDocs: docs('customers/list-all-customer-records'),
  },
  {
    method: 'get',
    path: '/customers/{customer_id}',
    operationId: 'getCustomer',
    tags: ['Customers'],
    summary: 'Retrieve a customer record by ID',
    description: 'Retrieves a single customer by `customer_id` for the authenticated client.',
    path_params: S.CustomerIdParam,
    responses: {
      '200': { description: 'Customer record retrieved successfully', schema: S.Customer },
      ...STANDARD,
      '404': problem('Customer not found'),
      default: { description: 'Unexpected error' },
    },
    externalDocs: docs('customers/retrieve-a-customer-record-by-id'),
  },
  {
    method: 'patch',
    path: '/customers/{customer_id}/sub-client',
    operationId: 'updateCustomerSubClient',
    tags: ['Customers'],
    summary: 'Update sub-client association for a customer',
    description: 'Associates or disassociates a customer with a sub-client. Set `sub_client_id` to associate, or set it to `null` to disassociate.',
    path_params: S.CustomerIdParam,
    body: { schema: S.SubClientUpdate },
    responses: { '200': { description: 'Sub-client association updated successfully', schema: S.Customer }, '400': problem('Invalid request'), '404': problem('Customer not found') },
  },
  {
    method: 'get',
    path: '/customers/sub-client-summary',
    operationId: 'getSubClientSummary',
    tags: ['Customers'],
    summary: 'Get sub-client summary',
    description: 'Returns a list of all sub-clients for the authenticated client, along with the count of customers associated with each.',
    responses: { '200': { description: 'Sub-client summary retrieved successfully', schema: S.SubClientSummaryList }, '401': problem('Unauthorized'), '403': problem('Forbidden') },
  },
  {
    method: 'post',
    path: '/users',
    operationId: 'createClientUser',
    tags: ['Users'],
    summary: 'Create a new user',
    description: 'Create a new user with the specified details',
    headers: S.IdempotencyHeaders,
    body: { schema: S.UserCreate, description: 'user details' },
    responses: { '201': { description: 'User created successfully', schema: S.ClientUser }, ...STANDARD, '409': problem('User already exists'), '502': problem('Bad Gateway') },
    externalDocs: docs('users/create-a-new-user'),
  },
  {
    method: 'get',
    path: '/users',
    operationId: 'listClientUsers',
    tags: ['Users'],
    summary: 'List users',
    description: 'Get a list of all users',
    query: S.UserListQuery,
    responses: { '200': { description: 'List of users', schema: S.UserList }, '400': problem('Bad Request'), '401': problem('Unauthorized'), '403': problem('Forbidden') },
    externalDocs: docs('users/list-users'),
  },
  {
    method: 'patch',
    path: '/users/{user_id}',
    operationId: 'updateClientUser',
    tags: ['Users'],
    summary: 'Update a user',
    description: 'Update the name or role of an existing user',
    headers: S.IdempotencyHeaders,
    path_params: S.UserIdParam,
    body: { schema: S.UserUpdate, description: 'Updated user details' },
    responses: { '204': { description: 'user updated successfully' }, ...STANDARD, '404': problem('User not found') },
    externalDocs: docs('users/update-a-user'),
  },
  {
    method: 'delete',
    path: '/users/{user_id}',
    operationId: 'deleteClientUser',
    tags: ['Users'],
    summary: 'Delete a user',
    description: 'Delete an existing user',
    path_params: S.UserIdParam,
    responses: { '204': { description: 'user deleted successfully' }, ...STANDARD, '404': problem('User not found') },
    externalDocs: docs('users/delete-a-user'),
  },
];

/** The document: made once, at start. */
export const DAKOTA_DOCUMENT = openapiDocument(
  {
    info: {
      title: 'Dakota Platform API (customers and users)',
      version: '1.0.0',
      description: "Roster's Dakota dialect: Dakota's customers and users API, from the schemas Roster validates requests with.",
    },
    security: [{ ApiKeyAuth: [] }],
    securitySchemes: {
      ApiKeyAuth: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      ApplicationTokenAuth: { type: 'apiKey', in: 'header', name: 'X-Application-Token', description: 'Application-specific token for public URL access. Generated when a customer is created.' },
    },
  },
  OPERATIONS,
);

export const DAKOTA_OPENAPI = JSON.stringify(DAKOTA_DOCUMENT);
