import { uuid } from '../core/ids.ts';
import type { Customer, CustomerInput, KycLink } from '../core/model.ts';
import { RosterError } from '../core/errors.ts';
import { stepPatch, type Step } from '../onboarding/lifecycle.ts';
import { lockCustomer, updateCustomerIn } from '../store/customers-repo.ts';
import type { Db, Queryable } from '../store/db.ts';
import type { SandboxRequest } from './headers.ts';
import type { TransitionName } from './scenarios.ts';

// What a test-mode customer does on its own after it is created, kept as rows with a due time
// (migration 107). A transition is claimed, applied through the ordinary write path (so it is
// visible through every dialect, counted, and an event like any write) and removed in one
// transaction: each happens exactly once, whichever Roster process claims it, and a restart
// loses none.

/** How long after creation the first transition is due, unless the account says otherwise. */
export const DEFAULT_AUTO_APPROVAL_MS = 5_000;

/** The account's auto-approval delay: 0 means its customers do nothing on their own. */
export async function autoApprovalMs(tx: Queryable, accountId: string): Promise<number> {
  const [row] = await tx.query<{ ms: number }>(`SELECT auto_approval_ms AS ms FROM sandbox_settings WHERE account_id = $1`, [accountId]);
  return row ? Number(row.ms) : DEFAULT_AUTO_APPROVAL_MS;
}

export async function setAutoApprovalMs(tx: Queryable, accountId: string, ms: number): Promise<void> {
  await tx.query(`INSERT INTO sandbox_settings (account_id, auto_approval_ms) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET auto_approval_ms = excluded.auto_approval_ms`, [accountId, ms]);
}

/**
 * Schedules what a newly created customer will do, in the transaction that creates it: the
 * scenario's transitions (the approval by default), one a delay apart. Nothing when the request
 * asked to skip the auto-approval, or the account set its delay to 0.
 */
export async function scheduleFor(tx: Queryable, accountId: string, customerId: string, req: SandboxRequest, now = Date.now()): Promise<void> {
  if (req.skipAutoApproval) return;
  const delay = await autoApprovalMs(tx, accountId);
  if (delay === 0) return;
  const failing = req.errorStep === 'kyb_approval' && req.errorStatus !== undefined && req.errorStatus >= 400;
  const steps = (req.scenario?.afterwards ?? ['approve']).map((t): TransitionName => (t === 'approve' && failing ? 'approval_failed' : t));
  for (const [i, transition] of steps.entries()) {
    await tx.query(`INSERT INTO sandbox_transitions (id, account_id, customer_id, due_at, transition, scenario) VALUES ($1, $2, $3, $4, $5, $6)`, [
      uuid(),
      accountId,
      customerId,
      new Date(now + delay * (i + 1)),
      transition,
      req.scenario?.name ?? null,
    ]);
  }
}

const nowIso = () => new Date().toISOString();

/** The application moved along `steps` from where it is, each step as the lifecycle allows it. */
function through(c: Customer, steps: Step[], note?: string): CustomerInput {
  let current = c;
  let patch: CustomerInput = {};
  for (const step of steps) {
    const next = stepPatch(current, step, { note });
    patch = { ...patch, ...next };
    current = { ...current, ...next } as Customer;
  }
  return patch;
}

/** The newest live persona link, expired now. */
function expiredLinks(links: KycLink[]): KycLink[] {
  const at = nowIso();
  const persona = links
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => l.link_type === 'persona' && !l.deleted_at)
    .sort((a, b) => (b.l.created_at ?? '').localeCompare(a.l.created_at ?? ''))[0];
  if (!persona) return links;
  const out = [...links];
  out[persona.i] = { ...persona.l, status: 'expired', updated_at: at, expires_at: at };
  return out;
}

/** A transition as the patch it writes. Throws RosterError('invalid_operation') when the application has moved on. */
function patchFor(c: Customer, transition: TransitionName): CustomerInput {
  const from = c.application?.status;
  const open = from === 'pending' || from === 'request_for_information' || from === 'admin_revision';
  switch (transition) {
    case 'approve':
      return through(c, open ? ['submitted', 'approved'] : ['approved']);
    case 'manual_review':
      return through(c, open ? ['submitted', 'under_review'] : ['under_review']);
    case 'reject':
      return through(c, ['declined']);
    case 'compliance_block':
      return { ...through(c, open ? ['submitted', 'compliance_review'] : ['compliance_review']), kyb_status: 'frozen' };
    case 'freeze':
      return { kyb_status: 'frozen' };
    case 'expire_link':
      return { kyc_links: expiredLinks(c.kyc_links) };
    case 'document_expired': {
      const patch = through(c, open ? ['submitted', 'request_for_information'] : ['request_for_information'], 'An identity document has expired: upload a valid one.');
      return { ...patch, kyc_links: expiredLinks(patch.kyc_links ?? c.kyc_links) };
    }
    case 'approval_failed':
      return through(c, open ? ['submitted', 'request_for_information'] : ['request_for_information'], 'The approval step failed (X-Sandbox-Error-Step: kyb_approval); send the application again.');
  }
}

interface Due {
  id: string;
  account_id: string;
  customer_id: string;
  transition: TransitionName;
  scenario: string | null;
}

/**
 * Claims the next due transition (the earliest of its customer: a customer's transitions
 * apply in order), applies it and removes it, in one transaction. Returns false when none is
 * due. A transition whose customer was deleted, or whose application has moved on (an operator
 * decided first), is dropped and logged as skipped.
 */
export async function applyNextDue(db: Db, by = 'roster'): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [due] = await tx.query<Due>(
      `SELECT t.id, t.account_id, t.customer_id, t.transition, t.scenario FROM sandbox_transitions t
        WHERE t.due_at <= clock_timestamp()
          AND NOT EXISTS (SELECT 1 FROM sandbox_transitions e WHERE e.account_id = t.account_id AND e.customer_id = t.customer_id AND e.due_at < t.due_at)
        ORDER BY t.due_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    if (!due) return false;
    let outcome: 'applied' | 'skipped' = 'applied';
    let detail: string | null = null;
    const current = await lockCustomer(tx, due.account_id, { by: 'id', value: due.customer_id });
    if (!current) {
      outcome = 'skipped';
      detail = 'the customer was deleted';
    } else {
      try {
        await updateCustomerIn(tx, due.account_id, { by: 'id', value: due.customer_id }, patchFor(current, due.transition), { actor: `sandbox:${by}` });
      } catch (e) {
        if (!(e instanceof RosterError) || e.code !== 'invalid_operation') throw e;
        outcome = 'skipped';
        detail = e.message;
      }
    }
    await tx.query(`DELETE FROM sandbox_transitions WHERE id = $1`, [due.id]);
    await tx.query(`INSERT INTO sandbox_log (account_id, customer_id, transition, scenario, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6)`, [
      due.account_id,
      due.customer_id,
      due.transition,
      due.scenario,
      outcome,
      detail,
    ]);
    return true;
  });
}
