// The canonical model: one record per customer, whatever dialect wrote it.

export const CUSTOMER_TYPES = ['individual', 'business', 'operator', 'operator_subsidiary', 'contact', 'employee', 'other'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

export const KYB_STATUSES = ['active', 'pending', 'partner_review', 'rejected', 'frozen', 'auto_declined'] as const;
export type KybStatus = (typeof KYB_STATUSES)[number];

export const KYC_STATUSES = ['not_started', 'pending', 'expired', 'approved', 'rejected', 'in_review'] as const;
export type KycStatus = (typeof KYC_STATUSES)[number];

export const APPLICATION_STATUSES = ['pending', 'submitted', 'under_review', 'request_for_information', 'admin_revision', 'approved', 'declined', 'completed', 'compliance_review'] as const;
export const APPLICATION_DECISIONS = ['approved', 'declined', 'auto_declined', 'withdrawn'] as const;
export const USER_ROLES = ['admin', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface KycLink {
  provider_id: string;
  link_type: 'persona' | 'tos';
  url: string;
  status: string;
  created_at: string;
  updated_at: string;
  expires_at?: string | null;
  deleted_at?: string | null;
}

export interface Application {
  id: string;
  status: string;
  decision?: string | null;
  url?: string | null;
  expires_at?: string | null;
}

export interface ProductAccount {
  product: string;
  kyc_status: string;
  kyc_approved_at: string | null;
  /** Exact decimal string with two decimals, e.g. "12450.32". */
  current_market_value: string;
}

/** A customer as stored; timestamps are ISO 8601 strings in UTC. */
export interface Customer {
  id: string;
  number: number;
  uuid: string;
  external_id: string | null;
  type: CustomerType;
  name: string | null;
  /** The name to show, derived by the store: `name`, else first and last name (migration 105). */
  display_name: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone_number: string | null;
  country: string | null;
  gender: string | null;
  date_of_birth: string | null;
  addresses: Record<string, unknown>[];
  company: Record<string, unknown> | null;
  status: string | null;
  metadata: Record<string, unknown>;
  attributes: Record<string, unknown>;
  marketing_consent: Record<string, unknown> | null;
  enrolled_by: Record<string, unknown> | null;
  term: Record<string, unknown> | null;
  favorite_store: string | null;
  contact_for: Record<string, unknown>[];
  kyb_status: KybStatus;
  kyc_status: KycStatus;
  kyc_links: KycLink[];
  provider_statuses: Record<string, unknown>[];
  application: Application | null;
  application_status: string | null;
  product_accounts: ProductAccount[];
  tags: string[];
  parent_id: string | null;
  parent_name: string | null;
  operator_id: string | null;
  operator_name: string | null;
  /** The owner's and operator's integer numbers, derived on read. */
  parent_number: number | null;
  operator_number: number | null;
  ancestors: string[];
  is_sub_client: boolean;
  extensions: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  created_by: string | null;
  deleted_by: string | null;
}

/** The writable part of a customer; everything else is assigned or derived by Roster. */
export type CustomerInput = Partial<
  Pick<
    Customer,
    | 'external_id'
    | 'type'
    | 'name'
    | 'first_name'
    | 'last_name'
    | 'email'
    | 'phone_number'
    | 'country'
    | 'gender'
    | 'date_of_birth'
    | 'addresses'
    | 'company'
    | 'status'
    | 'metadata'
    | 'attributes'
    | 'marketing_consent'
    | 'enrolled_by'
    | 'term'
    | 'favorite_store'
    | 'contact_for'
    | 'kyb_status'
    | 'kyc_links'
    | 'provider_statuses'
    | 'application'
    | 'parent_id'
    | 'is_sub_client'
    | 'extensions'
  >
> & {
  product_accounts?: Array<Omit<ProductAccount, 'kyc_approved_at'> & { kyc_approved_at?: string | null }>;
  tags?: string[];
};

export interface User {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  role: UserRole;
  swift_enabled: boolean;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export type UserInput = Partial<Pick<User, 'first_name' | 'last_name' | 'email' | 'role' | 'swift_enabled'>>;

export type AccountMode = 'test' | 'live';
export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** `T00000042` for test mode, `P00000042` for live: the Dintero-style account id. */
export function accountId(mode: AccountMode, number: number): string {
  return (mode === 'test' ? 'T' : 'P') + String(number).padStart(8, '0');
}
