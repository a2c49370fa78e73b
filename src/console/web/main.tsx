import { render, type JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, onSignOut, session } from './api.ts';
import { BASE, Link, navigate, useLocation } from './router.ts';
import { SignIn, type Me } from './sign-in.tsx';
import { CustomerList } from './customer-list.tsx';
import { CustomerPage } from './customer-page.tsx';
import { UsersPage } from './users-page.tsx';
import { KeysPage } from './keys-page.tsx';

// The console: sign in with an API key, then customers, team users and (admin) keys.

function App() {
  const [me, setMe] = useState<Me | null | undefined>(session.key() ? undefined : null);
  const { path } = useLocation();
  useEffect(() => {
    onSignOut(() => setMe(null));
    if (me === undefined) api<Me>('GET', '/v1/me').then(setMe, () => setMe(null));
  }, []);
  if (me === undefined)
    return (
      <p class="loading" role="status">
        Loading…
      </p>
    );
  if (me === null) return <SignIn onSignedIn={setMe} />;

  const admin = me.scopes.includes('admin');
  const section = path.startsWith('/users') ? 'users' : path.startsWith('/keys') ? 'keys' : 'customers';
  const customer = /^\/customers\/([0-9A-Za-z]{27})$/.exec(path)?.[1];
  let view: JSX.Element;
  if (customer) view = <CustomerPage id={customer} me={me} key={customer} />;
  else if (section === 'users') view = <UsersPage />;
  else if (section === 'keys') view = admin ? <KeysPage me={me} /> : <p>Managing keys needs a key with the admin scope.</p>;
  else view = <CustomerList />;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Roster</span>
        <nav aria-label="Sections">
          <Link href={`${BASE}/customers`} aria-current={section === 'customers' ? 'page' : undefined}>
            Customers
          </Link>
          <Link href={`${BASE}/users`} aria-current={section === 'users' ? 'page' : undefined}>
            Team
          </Link>
          {admin && (
            <Link href={`${BASE}/keys`} aria-current={section === 'keys' ? 'page' : undefined}>
              API keys
            </Link>
          )}
        </nav>
        <span class="who">
          <span class={`mode mode-${me.mode}`}>{me.mode}</span> {me.account_id} · {me.scopes.join(', ')}
          <button
            type="button"
            class="link"
            onClick={() => {
              session.signOut();
              navigate(`${BASE}/customers`);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main id="main">{view}</main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
