// Dakota's sandbox scenarios (X-Sandbox-Scenario, the enum of its OpenAPI's
// SandboxScenarioHeader), and what each does to a customer created in a test-mode account.
// Scenarios about payments are accepted and change nothing for customers, as Dakota's own
// sandbox would for a customer create.

/** Something that happens to a customer later, on its own (see transitions.ts). */
export type TransitionName = 'approve' | 'manual_review' | 'reject' | 'expire_link' | 'compliance_block' | 'freeze' | 'document_expired' | 'approval_failed';

/** A create that fails at once, writing nothing. */
export interface ImmediateFailure {
  status: number;
  message: string;
  /** Only about one request in `every` fails (intermittent errors). */
  oneIn?: number;
  /** Answered only after this long (a timeout). */
  delayMs?: number;
}

export interface Scenario {
  name: string;
  description: string;
  /** What the scenario is about: a customer create is changed only by `customers` ones. */
  applies_to: 'customers' | 'payments';
  /** Replaces the usual approval: what happens after the account's auto-approval delay. */
  afterwards?: TransitionName[];
  fails?: ImmediateFailure;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'happy_path',
    applies_to: 'customers',
    description: 'Everything succeeds: the application and KYB link are approved after the auto-approval delay (5 s unless the account sets another).',
    afterwards: ['approve'],
  },
  {
    name: 'kyb_manual_review',
    applies_to: 'customers',
    description: 'The application goes to manual review (application under_review, KYB partner_review, link in_review) after the delay, and stays there for an operator to decide.',
    afterwards: ['manual_review'],
  },
  { name: 'kyb_rejected', applies_to: 'customers', description: 'The application is reviewed, then rejected: declined, KYB rejected, link rejected.', afterwards: ['manual_review', 'reject'] },
  { name: 'kyb_expired', applies_to: 'customers', description: 'The KYB link expires unused: link expired and withdrawn (kyc_status expired), KYB stays pending.', afterwards: ['expire_link'] },
  { name: 'compliance_block', applies_to: 'customers', description: 'A compliance hold: the application goes to compliance_review and KYB is frozen.', afterwards: ['compliance_block'] },
  { name: 'account_frozen', applies_to: 'customers', description: 'Approved, then frozen: KYB active after the delay, then frozen.', afterwards: ['approve', 'freeze'] },
  {
    name: 'document_expired',
    applies_to: 'customers',
    description: 'An identity document expired: the link expires and the application asks for information (request_for_information).',
    afterwards: ['document_expired'],
  },
  {
    name: 'intermittent_errors',
    applies_to: 'customers',
    description: 'About one create in two fails with 503 and writes nothing; a retry with the same idempotency key may succeed.',
    fails: { status: 503, message: 'Intermittent sandbox failure; retry the request', oneIn: 2 },
    afterwards: ['approve'],
  },
  {
    name: 'network_timeout',
    applies_to: 'customers',
    description: 'The create times out: 504 after 2 s, nothing written.',
    fails: { status: 504, message: 'The upstream provider did not answer in time', delayMs: 2000 },
  },
  {
    name: 'provider_maintenance',
    applies_to: 'customers',
    description: 'The provider is down for maintenance: 503, nothing written.',
    fails: { status: 503, message: 'Provider temporarily unavailable for maintenance.' },
  },
  { name: 'delayed_settlement', applies_to: 'payments', description: 'Payments settle late. No effect on customers: the create behaves as happy_path.', afterwards: ['approve'] },
  { name: 'insufficient_funds', applies_to: 'payments', description: 'Payments fail for lack of funds. No effect on customers: the create behaves as happy_path.', afterwards: ['approve'] },
  { name: 'invalid_account', applies_to: 'payments', description: 'A payment account is invalid. No effect on customers: the create behaves as happy_path.', afterwards: ['approve'] },
  { name: 'network_congestion', applies_to: 'payments', description: 'Payment rails are slow. No effect on customers: the create behaves as happy_path.', afterwards: ['approve'] },
  { name: 'invalid_swift', applies_to: 'payments', description: 'A SWIFT code is invalid. No effect on customers: the create behaves as happy_path.', afterwards: ['approve'] },
];

export const scenarioNamed = (name: string | undefined) => SCENARIOS.find((s) => s.name === name);

/** The pipeline steps of X-Sandbox-Error-Step, and where a customer create meets each. */
export const ERROR_STEPS = {
  account_validation: 'create',
  compliance_check: 'create',
  kyb_submission: 'create',
  provider_call: 'create',
  network_call: 'create',
  /** The approval after the delay fails: the application asks for information instead. */
  kyb_approval: 'approval',
  transaction_processing: 'payments',
} as const;
export type ErrorStep = keyof typeof ERROR_STEPS;
