import { Type } from '@sinclair/typebox';
import { APPLICATION_STATUSES, KYB_STATUSES, USER_ROLES } from '../../core/model.ts';
import { StringEnum } from '../../http/string-enum.ts';
import { component } from '../../http/openapi-document.ts';

// Dakota's contract, as its OpenAPI states it (specs/dakota-customers-users.openapi.yaml): the
// request schemas the routes validate with and the response schemas the document describes,
// which the tests hold every response to. The served document is made from these (openapi.ts).
// Where Roster bounds what Dakota leaves open (a search term's length, an id's), the bound is
// here, so it is documented as it is enforced.

const Enum = StringEnum;
const TIME = (description: string) => Type.Integer({ description, examples: [1234567890] });

export const KSUID_PATTERN = '^[0-9A-Za-z]{27}$';
export const Ksuid = component(
  'KSUID',
  Type.String({
    title: 'KSUID',
    description: 'KSUID is a 27-character globally unique ID that combines a timestamp with a random component. Used for all entity identifiers in the Dakota platform.',
    pattern: KSUID_PATTERN,
    minLength: 27,
    maxLength: 27,
    examples: ['1NFHrqBHb3cTfLVkFSGmHZqdDPi'],
  }),
);

export const KybStatus = component('KybStatus', Enum(KYB_STATUSES, { description: 'Overall status of the KYB verification process (e.g., pending, active, restricted).', examples: ['pending'] }));
const KybLinkType = component(
  'KybLinkType',
  Enum(['persona', 'tos'] as const, {
    title: 'KYB Link Type',
    description: 'Type of link provided by a verification provider for KYB verification. `tos` is deprecated (the Bridge TOS flow): legacy records may still carry it.',
    examples: ['persona'],
  }),
);
const KybLinkStatus = component(
  'KybLinkStatus',
  Enum(['not_started', 'pending', 'expired', 'approved', 'rejected', 'in_review'] as const, {
    title: 'KYB Link Status',
    description: 'Current status of the KYB verification link.',
    examples: ['pending'],
  }),
);
const ApplicationStatus = component(
  'ApplicationStatus',
  Enum(APPLICATION_STATUSES, {
    title: 'Application Status',
    description:
      'Current status of an application in the onboarding flow: pending, submitted, under_review, request_for_information, admin_revision, approved, declined, completed (legacy), compliance_review.',
    examples: ['submitted'],
  }),
);
const ClientUserRole = component(
  'ClientUserRole',
  Enum(USER_ROLES, {
    description: 'Role that can be assigned to a client user. Available roles: `admin` (full access except issuances) and `viewer` (read-only access).',
    examples: ['admin'],
  }),
);

const KybLink = component(
  'KybLink',
  Type.Object(
    {
      provider_id: Type.String({ description: 'ID of the verification provider or service used for a specific check.', examples: ['trm_labs'] }),
      link_type: KybLinkType,
      url: Type.String({
        description: 'URL link to the KYB verification portal or dashboard where the entity can complete the verification process.',
        examples: ['https://verify.provider.com/kyb/a1b2c3d4e5f6'],
      }),
      status: KybLinkStatus,
      created_at: TIME('Timestamp of when the link was created'),
      updated_at: TIME('Timestamp of when the link was last updated.'),
      expires_at: Type.Optional(TIME('Timestamp of when the link will expire.')),
      deleted_at: Type.Optional(TIME('Timestamp of when the link was deleted')),
    },
    { description: 'Link to the KYB verification portal or dashboard for a specific provider.' },
  ),
);

const ProviderKybStatus = component(
  'ProviderKybStatus',
  Type.Object({
    provider_id: Type.String({ description: 'ID of the verification provider or service used for a specific check.', examples: ['trm_labs'] }),
    status: Enum(['not_started', 'in_review', 'approved', 'rejected', 'requires_info', 'auto_declined', 'frozen'] as const, {
      description: 'Current verification status with this specific provider.',
      examples: ['approved'],
    }),
    endorsements: Type.Optional(Type.Array(Type.String(), { description: 'Array of endorsements associated with this provider status.' })),
  }),
);

export const Customer = component(
  'Customer',
  Type.Object(
    {
      id: Ksuid,
      name: Type.String({ description: 'Name of the customer', examples: ['Acme Corp'] }),
      email: Type.Optional(Type.String({ description: 'Email address of the customer', examples: ['contact@acmecorp.com'] })),
      customer_type: Enum(['individual', 'business'] as const, { description: 'Type of entity - either an individual person or a company/organization', examples: ['business'] }),
      kyb_status: KybStatus,
      kyc_status: Type.Unsafe({
        allOf: [KybLinkStatus],
        description:
          'Provider-agnostic effective KYC/B status, derived server-side: the application decision if set, else the newest live persona link, else `pending` with an open application, else `not_started`. Advisory, not authoritative.',
      }),
      kyb_links: Type.Optional(Type.Array(KybLink, { description: 'KYB Links for different providers used in the KYB process.' })),
      provider_statuses: Type.Optional(Type.Array(ProviderKybStatus, { description: 'Detailed status information from different verification providers used in the KYB process.' })),
      application_id: Type.Optional({ ...Ksuid, description: 'ID of the KYB application associated with this customer' }),
      application_status: Type.Optional(
        Type.Unsafe({ allOf: [ApplicationStatus], description: "Current lifecycle state of the customer's onboarding application. Omitted when the customer has no application." }),
      ),
      decision: Type.Optional(Enum(['approved', 'declined', 'auto_declined', 'withdrawn'] as const, { description: 'Application decision status', examples: ['approved'] })),
      application_url: Type.Optional(Type.String({ description: 'URL for accessing the onboarding application', examples: ['https://onboarding.example.com/applications/abc123?token=xyz789'] })),
      created_at: TIME('Timestamp of when the link was created'),
      updated_at: TIME('Timestamp of when the link was last updated.'),
      deleted_at: Type.Optional(TIME('Timestamp of when the link was deleted')),
      sub_client_id: Type.Optional({ ...Ksuid, description: 'ID of the sub-client this customer is associated with, if any.' }),
      sub_client_name: Type.Optional(Type.String({ description: 'Name of the sub-client this customer is associated with, if any.', examples: ['Partner Corp'] })),
      is_sub_client: Type.Optional(Type.Boolean({ description: 'Whether this customer is a sub-client. This is set when the customer is created and cannot be changed afterwards.', default: false })),
    },
    { description: 'Response containing the current status of a KYB verification process including provider-specific statuses.' },
  ),
);

export const Meta = component(
  'Meta',
  Type.Object(
    {
      total_count: Type.Integer({ description: 'Total number of items available', examples: [100] }),
      has_more_after: Type.Boolean({ description: 'Indicates whether there are more items that follow this set.', examples: [true] }),
      has_more_before: Type.Boolean({ description: 'Indicates whether there are more items that precede this set.', examples: [false] }),
    },
    { description: 'Meta information about the response' },
  ),
);

export const CustomerList = Type.Object({ data: Type.Array(Customer), meta: Meta });

const ValidationError = component(
  'ValidationError',
  Type.Object({
    field: Type.String({ description: 'Field path using dot notation for nested fields.', examples: ['bank_account.routing_number'] }),
    message: Type.String({ description: 'Human-readable description of the field error.', examples: ['Routing number must be exactly 9 digits'] }),
    code: Type.Optional(Type.String({ description: 'Machine-readable error code for this field.', examples: ['invalid_format'] })),
  }),
);

export const ProblemDetails = component(
  'ProblemDetails',
  Type.Object(
    {
      type: Type.String({
        format: 'uri',
        description: 'URI reference identifying the problem type. Resolves to human-readable documentation.',
        examples: ['https://docs.dakota.xyz/api-reference/errors#not-found'],
      }),
      title: Type.String({ description: 'Short, human-readable summary of the problem type. Stable across occurrences.', examples: ['Customer Not Found'] }),
      status: Type.Integer({ description: 'HTTP status code for this occurrence.', examples: [404] }),
      detail: Type.Optional(Type.String({ description: 'Human-readable explanation specific to this occurrence.', examples: ['Customer cst_2abc123 was not found in your organization.'] })),
      instance: Type.Optional(Type.String({ format: 'uri', description: 'The request path that triggered this error.', examples: ['https://api.platform.dakota.xyz/customers/cst_2abc123'] })),
      request_id: Type.Optional(Type.String({ description: 'Unique request identifier. Include when contacting support.', examples: ['req_7f3a8b2c'] })),
      errors: Type.Optional(Type.Array(ValidationError, { description: 'Field-level validation errors (present for validation failures).' })),
    },
    { description: 'Error response following RFC 9457 Problem Details. Public API error responses use this format.' },
  ),
);

export const CustomerCreate = component(
  'CustomerCreateRequest',
  Type.Object(
    {
      name: Type.String({
        minLength: 3,
        maxLength: 100,
        pattern: '.*\\S.*',
        description: "Name of the customer - either a person's name or company name. Must contain at least one non-whitespace character.",
        examples: ['Acme Corporation'],
      }),
      customer_type: Enum(['individual', 'business'] as const, { description: 'Type of entity being created - either an individual person or a company/organization.', examples: ['business'] }),
      external_id: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: 255,
          description: "Unique identifier for the customer in the client's system. This ID is used to track the customer in the client's database.",
          examples: ['external_customer_123'],
        }),
      ),
      sub_client_id: Type.Optional({
        ...Ksuid,
        description:
          'ID of an existing sub-client to associate this new customer with. The referenced customer must belong to the same client and must itself be a sub-client. Cannot be combined with is_sub_client.',
      }),
      is_sub_client: Type.Optional(
        Type.Boolean({
          default: false,
          description: 'When true, create this customer as a sub-client. A customer can only be designated a sub-client at creation time. Cannot be combined with sub_client_id.',
        }),
      ),
    },
    { description: 'Request to create a customer and subsequently initiate a Know Your Business (KYB) verification process.' },
  ),
);

export const CustomerCreated = component(
  'CustomerCreateResponse',
  Type.Object(
    {
      id: Ksuid,
      kyb_links: Type.Array(KybLink, { description: 'KYB Links for different providers used in the KYB process.' }),
      application_id: { ...Ksuid, description: 'Unique identifier for the automatically created application record' },
      application_url: Type.String({ format: 'uri', description: 'Public URL for completing the application via web form (includes embedded token)' }),
      application_expires_at: Type.Integer({
        format: 'int64',
        description: 'Unix timestamp (nanoseconds) when the application token expires (30 days from creation)',
        examples: [1734567890000000000],
      }),
    },
    { description: 'Response returned when a customer creation process is successfully initiated.' },
  ),
);

export const SubClientUpdate = component(
  'UpdateCustomerSubClientRequest',
  Type.Object(
    {
      sub_client_id: Type.Union([Type.String({ pattern: KSUID_PATTERN, minLength: 27, maxLength: 27 }), Type.Null()], {
        description: 'ID of the sub-client to associate with, or null to disassociate.',
        examples: ['1NFHrqBHb3cTfLVkFSGmHZqdDPi'],
      }),
    },
    { description: 'Request to update the sub-client association for a customer. Set sub_client_id to associate with a sub-client, or null to disassociate.' },
  ),
);

export const SubClientSummary = component(
  'SubClientSummary',
  Type.Object(
    {
      sub_client_id: Ksuid,
      sub_client_name: Type.String({ description: 'Name of the customer acting as a sub-client.', examples: ['Partner Corp'] }),
      customer_count: Type.Integer({ description: 'Number of customers associated with this sub-client.', examples: [15] }),
    },
    { description: 'Summary of a sub-client including the count of customers associated with it.' },
  ),
);

export const UserCreate = component(
  'CreateClientUserRequest',
  Type.Object(
    {
      first_name: Type.String({ minLength: 1, maxLength: 200, description: 'Given name of the user', examples: ['John'] }),
      last_name: Type.String({ minLength: 1, maxLength: 200, description: 'Surname of the user', examples: ['Doe'] }),
      email: Type.String({ format: 'email', maxLength: 320, description: 'Email address of the user', examples: ['john@example.com'] }),
      role: ClientUserRole,
    },
    { description: 'Request body for creating a new client user' },
  ),
);

export const UserUpdate = component(
  'UpdateClientUserRequest',
  Type.Object(
    {
      first_name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Given name of the user', examples: ['John'] })),
      last_name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Surname of the user', examples: ['Doe'] })),
      role: Type.Optional(ClientUserRole),
    },
    { additionalProperties: false, description: 'Request body for updating a client user' },
  ),
);

export const ClientUser = component(
  'ClientUser',
  Type.Object(
    {
      id: Ksuid,
      first_name: Type.String({ description: 'Given name of the user.', examples: ['John'] }),
      last_name: Type.String({ description: 'Surname of the user.', examples: ['Doe'] }),
      email: Type.String({ description: 'Email address of the user.', examples: ['john@example.com'] }),
      role: ClientUserRole,
      swift_enabled: Type.Optional(Type.Boolean({ description: 'Whether the client has SWIFT payments enabled.' })),
      client_id: Type.Optional(Ksuid),
      client_name: Type.Optional(Type.String({ description: 'Display name of the active client for this request.', examples: ['Acme Corp'] })),
      created_at: TIME('Timestamp of when the user was created.'),
    },
    { description: 'User object representing a user in the system, including all clients they can access.' },
  ),
);

export const PaginatedList = component(
  'PaginatedListResponse',
  Type.Object(
    {
      data: Type.Array(Type.Object({}), { description: 'List of objects returned by the API' }),
      meta: Meta,
    },
    { description: 'Wrapper for paginated list responses' },
  ),
);

export const UserList = Type.Unsafe({ allOf: [PaginatedList, Type.Object({ data: Type.Array(ClientUser) })] });

// Request parameters.

const Time = (description: string) => Type.Optional(Type.String({ format: 'date-time', description }));
const paging = {
  starting_after: Type.Optional({ ...Ksuid, description: 'A cursor for use in pagination: the KSUID of the object that defines your place in the list. The next page starts after it.' }),
  ending_before: Type.Optional({ ...Ksuid, description: 'A cursor for use in pagination: the KSUID of the object that defines your place in the list. The previous page ends before it.' }),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'A limit on the number of objects to be returned. Limit can range between 1 and 100, and the default is 20.' }),
};

export const CustomerListQuery = Type.Object({
  ...paging,
  external_id: Type.Optional(Type.String({ maxLength: 255, description: 'Filter customers by external ID' })),
  search: Type.Optional(Type.String({ maxLength: 200, description: 'Search customers by name, email, or customer ID (case-insensitive)' })),
  kyb_status: Type.Optional({ ...KybStatus, description: 'Filter customers by KYB status (single value).' }),
  kyb_statuses: Type.Optional(Type.String({ maxLength: 500, description: 'Filter customers by one or more KYB statuses. Comma-separated list (e.g. `active,frozen`).' })),
  kyc_statuses: Type.Optional(
    Type.String({
      maxLength: 500,
      description: 'Filter customers by one or more effective KYC/B link statuses. Comma-separated list (e.g. `pending,in_review`). Values mirror the `KybLinkStatus` enum.',
    }),
  ),
  application_statuses: Type.Optional(
    Type.String({
      maxLength: 500,
      description:
        'Filter customers by one or more onboarding application statuses. Comma-separated list (e.g. `submitted,under_review`). Values mirror the `ApplicationStatus` enum. Customers without an application are excluded when this filter is set.',
    }),
  ),
  sub_client_id: Type.Optional({ ...Ksuid, description: 'Filter customers by sub-client association. Returns only customers associated with the specified sub-client.' }),
  is_sub_client: Type.Optional(Type.Boolean({ description: 'When true, returns only customers that are sub-clients (designated as such at creation). When false or omitted, returns all customers.' })),
  sort_by: Type.Optional(
    Enum(['application_status', 'created_at', 'customer_type', 'id', 'kyb_status', 'kyc_status', 'name'] as const, { description: 'Field to sort customers by. Defaults to `name`.' }),
  ),
  sort_dir: Type.Optional(Enum(['asc', 'desc'] as const, { description: 'Sort direction. Defaults to `asc`.' })),
  created_at_from: Time('Filter customers created at or after this ISO 8601 datetime (e.g. 2024-01-01T00:00:00Z).'),
  created_at_to: Time('Filter customers created at or before this ISO 8601 datetime (e.g. 2024-12-31T23:59:59Z).'),
});

export const UserListQuery = Type.Object({
  ...paging,
  search: Type.Optional(Type.String({ maxLength: 200, description: 'Fuzzy search across first/last name, email, and user ID.' })),
  created_at_from: Time('Filter users created at or after this ISO 8601 datetime (e.g. 2024-01-01T00:00:00Z).'),
  created_at_to: Time('Filter users created at or before this ISO 8601 datetime (e.g. 2024-12-31T23:59:59Z).'),
  roles: Type.Optional(Type.String({ maxLength: 100, description: 'Filter users by one or more roles. Comma-separated list (e.g. `admin,viewer`).' })),
  sort_by: Type.Optional(Enum(['created_at', 'email', 'name', 'role'] as const, { description: 'Field to sort users by. Defaults to `created_at`.' })),
  sort_dir: Type.Optional(Enum(['asc', 'desc'] as const, { description: 'Sort direction. Defaults to `desc`.' })),
});

export const CustomerIdParam = Type.Object({ customer_id: { ...Ksuid, description: 'Unique identifier (ksuid) of the customer record' } });
export const UserIdParam = Type.Object({ user_id: { ...Ksuid, description: 'Unique identifier of the user' } });

export const IdempotencyHeaders = Type.Object({
  'x-idempotency-key': Type.String({
    format: 'uuid',
    description: 'Unique key to ensure request idempotency. If the same key is used within a certain time window, the original response will be returned instead of executing the request again.',
  }),
});

const SANDBOX = 'Sandbox-only on Dakota; Roster accepts and ignores it.';
/** Dakota's sandbox headers on customer creation: documented, read by nothing in Roster. */
export const SandboxHeaders = Type.Object({
  'X-Sandbox-Scenario': Type.Optional(
    Enum(
      [
        'happy_path',
        'delayed_settlement',
        'insufficient_funds',
        'compliance_block',
        'invalid_account',
        'provider_maintenance',
        'network_congestion',
        'kyb_manual_review',
        'kyb_rejected',
        'kyb_expired',
        'network_timeout',
        'intermittent_errors',
        'account_frozen',
        'document_expired',
        'invalid_swift',
      ] as const,
      { description: `Applies a preset failure or behavior mode for the request. ${SANDBOX}` },
    ),
  ),
  'X-Sandbox-Error-Step': Type.Optional(
    Enum(['transaction_processing', 'compliance_check', 'account_validation', 'provider_call', 'kyb_submission', 'kyb_approval', 'network_call'] as const, {
      maxLength: 100,
      description: `Names the pipeline step at which an injected error fires. ${SANDBOX}`,
    }),
  ),
  'X-Sandbox-Error-Status': Type.Optional(Type.Integer({ minimum: 100, maximum: 599, description: `The HTTP status of an injected error. ${SANDBOX}` })),
  'X-Sandbox-Error-Message': Type.Optional(Type.String({ maxLength: 500, description: `The message of an injected error. ${SANDBOX}` })),
  'X-Sandbox-Skip-Auto-Approval': Type.Optional(Type.Boolean({ default: false, description: `Keeps a new customer's application pending instead of the sandbox's auto-approval. ${SANDBOX}` })),
});

export const SubClientSummaryList = Type.Object({ data: Type.Array(SubClientSummary) });
