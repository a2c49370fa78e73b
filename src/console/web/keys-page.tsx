import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './api.ts';
import { when } from './format.ts';
import type { Me } from './sign-in.tsx';
import { CopyOnce } from './copy-once.tsx';

// The account's API keys (admin): create one with scopes and an expiry, its secret shown once
// with a copy button; revoke. Lists never hold secrets.

interface Key {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}
const SCOPES = ['read', 'write', 'admin'];

export function KeysPage({ me }: { me: Me }) {
  const [keys, setKeys] = useState<Key[] | null>(null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read']);
  const [days, setDays] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<(Key & { api_key: string }) | null>(null);
  const [message, setMessage] = useState('');
  const load = () => api<{ data: Key[] }>('GET', '/v1/keys').then((r) => setKeys(r.data));
  useEffect(() => void load(), []);

  const create = async (e: Event) => {
    e.preventDefault();
    setErrors({});
    setMessage('');
    try {
      const expires_at = days ? new Date(Date.now() + Number(days) * 86_400_000).toISOString() : undefined;
      setCreated(await api('POST', '/v1/keys', { name: name.trim(), scopes, ...(expires_at ? { expires_at } : {}) }));
      setName('');
      await load();
    } catch (err) {
      setErrors(err instanceof ApiError ? err.fields : {});
      setMessage((err as Error).message);
    }
  };
  const revoke = async (k: Key) => {
    if (!confirm(`Revoke the key "${k.name}" (${k.prefix}…)? Clients using it are refused within a second.`)) return;
    await api('DELETE', `/v1/keys/${k.id}`);
    await load();
  };
  const state = (k: Key) => (k.revoked_at ? `revoked ${when(k.revoked_at)}` : k.expires_at && Date.parse(k.expires_at) < Date.now() ? 'expired' : 'active');

  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">
        API keys <span class="muted">for {me.account_id}</span>
      </h1>
      <form class="card key-form" onSubmit={create} aria-labelledby="new-key-title" noValidate>
        <h2 id="new-key-title">New key</h2>
        {message && (
          <p class="error" role="alert">
            {message}
          </p>
        )}
        <div class="form-grid">
          <div class="field">
            <label for="key-name">Name</label>
            <input id="key-name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} aria-invalid={errors.name ? 'true' : undefined} />
            {errors.name && <p class="error">{errors.name}</p>}
          </div>
          <fieldset class="field">
            <legend>Scopes</legend>
            {SCOPES.map((s) => (
              <label class="check">
                <input
                  type="checkbox"
                  name="scopes"
                  value={s}
                  checked={scopes.includes(s)}
                  onChange={(e) => setScopes((e.target as HTMLInputElement).checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
                />{' '}
                {s}
              </label>
            ))}
            {errors.scopes && <p class="error">{errors.scopes}</p>}
          </fieldset>
          <div class="field">
            <label for="key-days">Expires in (days, empty for never)</label>
            <input id="key-days" type="number" min="1" value={days} onInput={(e) => setDays((e.target as HTMLInputElement).value)} />
          </div>
        </div>
        <button type="submit">Create key</button>
        {created && <CopyOnce label={`Secret of "${created.name}": copy it now, it is not shown again`} value={created.api_key} />}
      </form>
      <table class="list keys">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Scopes</th>
            <th scope="col">State</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys?.map((k) => (
            <tr data-key-id={k.id}>
              <td>
                {k.name}
                {k.id === me.key_id && <span class="muted"> (this session)</span>}
              </td>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td>{k.scopes.join(', ')}</td>
              <td>{state(k)}</td>
              <td>{when(k.expires_at)}</td>
              <td>{k.last_used_at ? when(k.last_used_at) : 'never'}</td>
              <td>
                {!k.revoked_at && (
                  <button type="button" class="danger" onClick={() => revoke(k)} aria-label={`Revoke ${k.name}`}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
