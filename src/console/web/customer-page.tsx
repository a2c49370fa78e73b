import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Customer } from '../../core/model.ts';
import { api, type ApiError } from './api.ts';
import { displayName, when, words } from './format.ts';
import { BASE, Link } from './router.ts';
import type { Me } from './sign-in.tsx';
import { CustomerEdit } from './customer-edit.tsx';
import { Hierarchy, ProductAccounts, TagsAndTokens } from './customer-sections.tsx';
import { ApplicationPanel } from './application-panel.tsx';
import { DialectViews } from './dialect-views.tsx';
import { markRendered } from './timing.ts';

// One customer: every canonical field, its products, tags, tokens, hierarchy and verification
// state, edit and soft delete, and the record as each dialect's clients see it.

/** Fields with panels of their own above; the "all fields" table lists the rest of the record. */
const IN_PANELS = new Set(['product_accounts', 'tags', 'kyc_links', 'application']);
/** Every other field of the record, in the order the API sends them (the model's order). */
const fieldsOf = (c: Customer) => (Object.keys(c) as (keyof Customer)[]).filter((f) => !IN_PANELS.has(f));

function Value({ v }: { v: unknown }) {
  if (v === null || v === undefined) return <span class="muted">null</span>;
  if (typeof v === 'object') return <pre class="json">{JSON.stringify(v, null, 2)}</pre>;
  return <>{String(v)}</>;
}

export function CustomerPage({ id, me }: { id: string; me: Me }) {
  const [c, setC] = useState<Customer | null>(null);
  const [error, setError] = useState('');
  const [editing, setEditing] = useState(false);
  const [version, setVersion] = useState(0);
  const started = useRef(performance.now());
  const canWrite = me.scopes.some((s) => s === 'write' || s === 'admin');

  useEffect(() => {
    api<Customer>('GET', `/v1/customers/${id}`).then(setC, (e: ApiError) => setError(e.status === 404 ? 'No customer with this id.' : e.message));
  }, [id, version]);
  useLayoutEffect(() => {
    if (c) markRendered('customer', started.current);
  }, [c]);

  const changed = (next: Customer) => {
    setC(next);
    setVersion((v) => v + 1);
  };
  const remove = async () => {
    if (!confirm(`Delete ${displayName(c!)}? The record is kept as deleted and leaves every list.`)) return;
    try {
      changed(await api<Customer>('DELETE', `/v1/customers/${id}`));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  if (error && !c)
    return (
      <section>
        <h1>Customer</h1>
        <p class="error" role="alert">
          {error}
        </p>
        <Link href={`${BASE}/customers`}>Back to customers</Link>
      </section>
    );
  if (!c) return <p role="status">Loading…</p>;
  return (
    <article aria-labelledby="customer-title">
      <p class="crumbs">
        <Link href={`${BASE}/customers`}>Customers</Link>
      </p>
      <header class="record-head">
        <h1 id="customer-title">{displayName(c)}</h1>
        <span class={`badge s-${c.kyb_status}`}>KYB {words(c.kyb_status)}</span>
        <span class={`badge s-${c.kyc_status}`}>KYC {words(c.kyc_status)}</span>
        {c.deleted_at && (
          <span class="badge s-rejected" id="deleted-badge">
            deleted {when(c.deleted_at)}
          </span>
        )}
        {canWrite && !c.deleted_at && (
          <span class="actions">
            <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>
              {editing ? 'Close editor' : 'Edit'}
            </button>
            <button type="button" class="danger" onClick={remove}>
              Delete
            </button>
          </span>
        )}
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {editing && (
        <CustomerEdit
          customer={c}
          onSaved={(next) => {
            changed(next);
            setEditing(false);
          }}
        />
      )}
      <div class="grid">
        <section aria-labelledby="summary-title" class="card">
          <h2 id="summary-title">Summary</h2>
          <dl class="kv">
            <dt>Id</dt>
            <dd>
              <code>{c.id}</code>
            </dd>
            <dt>Number</dt>
            <dd>{c.number}</dd>
            <dt>Type</dt>
            <dd>{words(c.type)}</dd>
            <dt>Email</dt>
            <dd>{c.email ?? '—'}</dd>
            <dt>Phone</dt>
            <dd>{c.phone_number ?? '—'}</dd>
            <dt>Country</dt>
            <dd>{c.country ?? '—'}</dd>
            <dt>External id</dt>
            <dd>{c.external_id ?? '—'}</dd>
            <dt>Created</dt>
            <dd>{when(c.created_at)}</dd>
            <dt>Updated</dt>
            <dd>{when(c.updated_at)}</dd>
          </dl>
        </section>
        <Hierarchy c={c} />
        <ApplicationPanel c={c} canWrite={canWrite && !c.deleted_at} onChanged={changed} />
        <ProductAccounts c={c} />
        <TagsAndTokens c={c} version={version} />
      </div>
      <DialectViews id={c.id} version={version} />
      <details class="card all-fields">
        <summary>
          <h2>All canonical fields</h2>
        </summary>
        <table class="fields">
          <tbody>
            {fieldsOf(c).map((f) => (
              <tr>
                <th scope="row">{f}</th>
                <td>
                  <Value v={c[f]} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </article>
  );
}
