import { useState } from 'preact/hooks';
import type { Customer } from '../../core/model.ts';
import { api } from './api.ts';
import { when, words } from './format.ts';
import { CopyOnce } from './copy-once.tsx';

// Verification: KYB and KYC state, the KYC links, and the onboarding application with the
// operator's steps (review, ask for information, approve, decline) and a fresh customer link.

const STEPS: { to: string; label: string; from: string[]; danger?: boolean }[] = [
  { to: 'under_review', label: 'Start review', from: ['submitted', 'compliance_review'] },
  { to: 'compliance_review', label: 'Send to compliance', from: ['submitted', 'under_review'] },
  { to: 'request_for_information', label: 'Request information', from: ['submitted', 'under_review', 'compliance_review'] },
  { to: 'approved', label: 'Approve', from: ['submitted', 'under_review', 'compliance_review'] },
  { to: 'declined', label: 'Decline', from: ['pending', 'submitted', 'under_review', 'compliance_review', 'request_for_information', 'admin_revision'], danger: true },
];

interface Link {
  url: string;
  expires_at: string;
}

export function ApplicationPanel({ c, canWrite, onChanged }: { c: Customer; canWrite: boolean; onChanged: (c: Customer) => void }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const [link, setLink] = useState<Link | null>(null);
  const app = c.application as (Customer['application'] & { note?: string; submitted_at?: string; decided_at?: string }) | null;

  const step = async (to: string) => {
    setError('');
    try {
      onChanged(await api<Customer>('POST', `/v1/customers/${c.id}/application/transitions`, { to, ...(to === 'request_for_information' && note ? { note } : {}) }));
      setNote('');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const newLink = async () => {
    setError('');
    try {
      const l = await api<Link>('POST', `/v1/customers/${c.id}/application/link`);
      setLink(l);
      if (!app) onChanged(await api<Customer>('GET', `/v1/customers/${c.id}`));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const steps = app ? STEPS.filter((s) => s.from.includes(app.status)) : [];
  return (
    <section class="card" aria-labelledby="verification-title">
      <h2 id="verification-title">Verification and onboarding</h2>
      <dl class="kv">
        <dt>KYB status</dt>
        <dd id="kyb-status">{words(c.kyb_status)}</dd>
        <dt>KYC status</dt>
        <dd id="kyc-status">{words(c.kyc_status)}</dd>
        <dt>Application</dt>
        <dd id="application-status">{app ? words(app.status) : 'none'}</dd>
        {app?.decision && (
          <>
            <dt>Decision</dt>
            <dd>
              {words(app.decision)} {app.decided_at && <span class="muted">{when(app.decided_at)}</span>}
            </dd>
          </>
        )}
        {app?.submitted_at && (
          <>
            <dt>Submitted</dt>
            <dd>{when(app.submitted_at)}</dd>
          </>
        )}
        {app?.note && (
          <>
            <dt>Asked for</dt>
            <dd>{app.note}</dd>
          </>
        )}
      </dl>
      {c.kyc_links.length > 0 && (
        <table class="compact">
          <caption>KYC links</caption>
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {c.kyc_links.map((l) => (
              <tr>
                <td>{l.provider_id}</td>
                <td>{l.link_type}</td>
                <td>{words(l.status)}</td>
                <td>{when(l.updated_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWrite && (
        <div class="application-actions">
          {steps.some((s) => s.to === 'request_for_information') && (
            <div class="field">
              <label for="rfi-note">Information to ask for</label>
              <input id="rfi-note" value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
            </div>
          )}
          <div class="buttons">
            {steps.map((s) => (
              <button type="button" class={s.danger ? 'danger' : ''} onClick={() => step(s.to)}>
                {s.label}
              </button>
            ))}
            {!app?.decision && (
              <button type="button" class="secondary" onClick={newLink}>
                {app ? 'New onboarding link' : 'Start onboarding'}
              </button>
            )}
          </div>
          {link && <CopyOnce label="Onboarding link for the customer (shown once; earlier links stop working)" value={link.url} />}
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
