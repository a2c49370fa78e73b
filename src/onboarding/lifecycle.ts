import { RosterError } from '../core/errors.ts';
import type { Customer, CustomerInput, KybStatus, ProductAccount } from '../core/model.ts';

// An application's lifecycle along Dakota's ApplicationStatus enum, and what each step does to
// the rest of the record: kyb_status, the persona KYC link's status, the decision, and the
// product accounts' KYC. kyc_status itself is derived by Postgres from the application and the
// links (migration 060), so every dialect sees each step.
//
//   pending ──customer submits──► submitted ──► under_review / compliance_review ──► approved
//      ▲                              │  ▲                 │                      └─► declined
//      └── request_for_information ◄──┘  └─customer resubmits┘

export type Step = 'submitted' | 'under_review' | 'compliance_review' | 'request_for_information' | 'approved' | 'declined';

/** Steps an operator takes, and the statuses each may start from. */
export const OPERATOR_STEPS: Record<Exclude<Step, 'submitted'>, readonly string[]> = {
  under_review: ['submitted', 'compliance_review'],
  compliance_review: ['submitted', 'under_review'],
  request_for_information: ['submitted', 'under_review', 'compliance_review'],
  approved: ['submitted', 'under_review', 'compliance_review'],
  declined: ['pending', 'submitted', 'under_review', 'compliance_review', 'request_for_information', 'admin_revision'],
};

/** Where the customer may (re)submit from. */
export const OPEN_FOR_CUSTOMER: readonly string[] = ['pending', 'request_for_information', 'admin_revision'];

const EFFECTS: Record<Step, { kyb: KybStatus; link: string; decision?: string; products?: string }> = {
  submitted: { kyb: 'partner_review', link: 'pending' },
  under_review: { kyb: 'partner_review', link: 'in_review' },
  compliance_review: { kyb: 'partner_review', link: 'in_review' },
  request_for_information: { kyb: 'pending', link: 'pending' },
  approved: { kyb: 'active', link: 'approved', decision: 'approved', products: 'approved' },
  declined: { kyb: 'rejected', link: 'rejected', decision: 'declined', products: 'rejected' },
};

/** The patch that moves a customer's application to `step`; refuses a move its status forbids. */
export function stepPatch(c: Customer, step: Step, opts: { note?: string | null; now?: Date } = {}): CustomerInput {
  const app = c.application;
  if (!app) throw new RosterError('invalid_operation', 'This customer has no application', [{ field: 'application', message: 'no application' }]);
  const from = step === 'submitted' ? OPEN_FOR_CUSTOMER : OPERATOR_STEPS[step];
  if (!from.includes(app.status)) {
    throw new RosterError('invalid_operation', `An application that is ${app.status} cannot move to ${step}`, [{ field: 'to', message: `not allowed from ${app.status}` }]);
  }
  const now = (opts.now ?? new Date()).toISOString();
  const effect = EFFECTS[step];
  // The newest live persona link moves with the application (it decides kyc_status until a
  // decision does); a record without one gets one, so its KYC state is visible everywhere.
  const links = [...c.kyc_links];
  const persona = links
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => l.link_type === 'persona' && !l.deleted_at)
    .sort((a, b) => (b.l.created_at ?? '').localeCompare(a.l.created_at ?? ''))[0];
  if (persona) links[persona.i] = { ...persona.l, status: effect.link, updated_at: now };
  else if (app.url) links.push({ provider_id: 'persona', link_type: 'persona', url: `${app.url}#identity`, status: effect.link, created_at: now, updated_at: now, expires_at: app.expires_at ?? null });
  const patch: CustomerInput = {
    kyb_status: effect.kyb,
    kyc_links: links,
    application: {
      ...app,
      status: step,
      decision: effect.decision ?? null,
      ...(step === 'submitted' ? { submitted_at: now } : {}),
      ...(effect.decision ? { decided_at: now } : {}),
      note: step === 'request_for_information' ? (opts.note ?? null) : null,
    } as Customer['application'],
  };
  if (effect.products && c.product_accounts.some((p) => p.kyc_status === 'pending')) {
    patch.product_accounts = c.product_accounts.map(
      (p): ProductAccount => (p.kyc_status === 'pending' ? { ...p, kyc_status: effect.products!, kyc_approved_at: effect.products === 'approved' ? now : null } : p),
    );
  }
  return patch;
}
