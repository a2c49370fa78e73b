import { useState } from 'preact/hooks';
import { api, ApiError, session } from './api.ts';

export interface Me {
  account_id: string;
  mode: 'test' | 'live';
  key_id: string;
  scopes: string[];
  expires_at: string | null;
}

/** The key is checked against /v1/me before it is kept, in this tab's session storage only. */
export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const me = await api<Me>('GET', '/v1/me', undefined, key.trim());
      session.signIn(key.trim());
      onSignedIn(me);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'This API key is not valid.' : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="sign-in">
      <h1>Roster console</h1>
      <form onSubmit={submit}>
        <label for="api-key">API key</label>
        <input id="api-key" type="password" autocomplete="off" value={key} onInput={(e) => setKey((e.target as HTMLInputElement).value)} aria-describedby="key-help" required />
        <p id="key-help" class="help">
          A key of the account (test <code>rk_test_…</code> or live <code>rk_live_…</code>). It stays in this tab only.
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || !key.trim()}>
          Sign in
        </button>
      </form>
    </main>
  );
}
