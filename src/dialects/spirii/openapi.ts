import { openapiDocument, type Operation, type Response } from '../../http/openapi-document.ts';
import { CustomerWriteDoc, IdParamDoc, ListQueryDoc } from './docs.ts';
import * as R from './responses.ts';

// Spirii Connect's Customer v2 operations, from the schemas that document its requests (docs.ts)
// and its answers (responses.ts). Served at /spirii/openapi.json (src/http/references.ts).
// Statuses follow Spirii's reference: 403 for missing or invalid credentials, 401 for a valid
// credential without permission.

const error = (description: string): Response => ({ description, schema: R.ErrorBody });
const ERRORS = {
  '400': error('Bad Request. An explanation message will be provided.'),
  '401': error('Unauthorized. The requested operation cannot be performed with the current access permissions.'),
  '403': error('Forbidden. Your credentials are missing or not valid. An explanation message will be provided.'),
  '500': error('An unexpected error occurred on the server while processing the request.'),
};
const notFound = { '404': error('No customer with this id.') };
const tags = ['Customers'];

export const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/v2/customers',
    operationId: 'getCustomers',
    tags,
    summary: 'Get a list of customers',
    description: 'Retrieves a paginated list of customers based on the provided filter criteria.',
    query: ListQueryDoc,
    responses: { '200': { description: 'A page of customers', schema: R.CustomerList }, ...ERRORS },
  },
  {
    method: 'post',
    path: '/v2/customers',
    operationId: 'createCustomer',
    tags,
    summary: 'Create a customer',
    description: 'Private, Business or CPOSubsidiary customers, under an owner.',
    body: { schema: CustomerWriteDoc },
    responses: { '201': { description: 'The customer created', schema: R.Customer }, ...ERRORS, '409': error('A customer with this externalId already exists.') },
  },
  {
    method: 'get',
    path: '/v2/customers/{id}',
    operationId: 'getCustomer',
    tags,
    summary: 'Get a customer',
    path_params: IdParamDoc,
    responses: { '200': { description: 'The customer', schema: R.Customer }, ...ERRORS, ...notFound },
  },
  {
    method: 'put',
    path: '/v2/customers/{id}',
    operationId: 'updateCustomer',
    tags,
    summary: 'Update a customer',
    description: 'Fields left out are kept; the payment method is set at creation and kept.',
    path_params: IdParamDoc,
    body: { schema: CustomerWriteDoc },
    responses: { '200': { description: 'The customer updated', schema: R.Customer }, ...ERRORS, ...notFound },
  },
  {
    method: 'delete',
    path: '/v2/customers/{id}',
    operationId: 'deleteCustomer',
    tags,
    summary: 'Delete a customer',
    description: 'A CPO, a customer with locations, or one that owns other customers cannot be deleted (400, operation_not_allowed).',
    path_params: IdParamDoc,
    responses: { '202': { description: 'The customer is deleted' }, ...ERRORS, ...notFound },
  },
];

export const SPIRII_DOCUMENT = openapiDocument(
  {
    info: {
      title: 'Spirii Connect Customer API (v2)',
      version: '2.0.0',
      description:
        "Roster's Spirii dialect: Spirii's customers, with offset pages, integer ids and the owner / CPO hierarchy. Authenticate with `Authorization: Bearer <api key>`, or the bare key as Spirii's cURL samples send it.",
    },
    security: [{ bearerAuth: [] }, { apiKeyAuthorization: [] }],
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', description: 'A Roster API key as the bearer token.' },
      apiKeyAuthorization: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'The API key alone, without a scheme.' },
    },
  },
  OPERATIONS,
);
