import { useEffect, useState } from 'preact/hooks';
import { USER_ROLES, type User } from '../../core/model.ts';
import { api, qs } from './api.ts';
import { when, words } from './format.ts';
import { BASE, navigate, useLocation } from './router.ts';

// Team users: search, role, sort by name and pages, with the view in the URL.

interface Page {
  data: User[];
  total_count: number;
  next_cursor: string | null;
  prev_cursor: string | null;
}

export function UsersPage() {
  const { query } = useLocation();
  const [page, setPage] = useState<Page | null>(null);
  const [search, setSearch] = useState(query.get('search') ?? '');
  const go = (changes: Record<string, string | undefined>, keepCursor = false) => {
    const next = { ...Object.fromEntries(query.entries()), ...(keepCursor ? {} : { cursor: undefined }), ...changes };
    const s = qs(next);
    navigate(`${BASE}/users${s ? `?${s}` : ''}`);
  };
  const apiQuery = qs({ search: query.get('search') ?? undefined, role: query.get('role') ?? undefined, cursor: query.get('cursor') ?? undefined, sort: 'name', limit: '50', count: 'true' });
  useEffect(() => {
    api<Page>('GET', `/v1/users?${apiQuery}`).then(setPage, () => setPage({ data: [], total_count: 0, next_cursor: null, prev_cursor: null }));
  }, [apiQuery]);
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Team</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go({ search: search || undefined });
        }}
      >
        <div class="field grow">
          <label for="user-search">Search</label>
          <input id="user-search" type="search" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} placeholder="Name or email" />
        </div>
        <div class="field">
          <label for="user-role">Role</label>
          <select id="user-role" value={query.get('role') ?? ''} onChange={(e) => go({ role: (e.target as HTMLSelectElement).value || undefined })}>
            <option value="">Any</option>
            {USER_ROLES.map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
        </div>
        <button type="submit">Search</button>
      </form>
      <p class="summary" role="status">
        {page ? `${page.total_count.toLocaleString('en')} team users` : 'Loading…'}
      </p>
      <div class="table-wrap">
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">SWIFT</th>
              <th scope="col">Added</th>
            </tr>
          </thead>
          <tbody>
            {page?.data.map((u) => (
              <tr>
                <td>
                  {u.first_name} {u.last_name}
                </td>
                <td>{u.email}</td>
                <td>{words(u.role)}</td>
                <td>{u.swift_enabled ? 'yes' : 'no'}</td>
                <td>{when(u.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={!page?.prev_cursor} onClick={() => go({ cursor: page!.prev_cursor! }, true)}>
          ← Previous
        </button>
        <button type="button" disabled={!page?.next_cursor} onClick={() => go({ cursor: page!.next_cursor! }, true)}>
          Next →
        </button>
      </nav>
    </section>
  );
}
