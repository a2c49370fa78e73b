import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { APPLICATION_STATUSES, CUSTOMER_TYPES, KYB_STATUSES, KYC_STATUSES, type Customer } from '../../core/model.ts';
import { api, type ApiError, qs } from './api.ts';
import { BASE, Link, navigate, useLocation } from './router.ts';
import { displayName, when, words } from './format.ts';
import { markRendered } from './timing.ts';

// The customer list: the URL holds the whole view (search, filters, sort, cursor), so every
// change is a navigation and a reload shows the same page.

interface Page {
  data: Customer[];
  total_count: number;
  next_cursor: string | null;
  prev_cursor: string | null;
}

const FILTERS = ['search', 'type', 'kyb_status', 'kyc_status', 'application_status', 'country', 'product', 'parent_id', 'operator_id'] as const;
const COLUMNS: { key: string; label: string; sort?: string }[] = [
  { key: 'name', label: 'Name', sort: 'name' },
  { key: 'type', label: 'Type', sort: 'type' },
  { key: 'kyb_status', label: 'KYB', sort: 'kyb_status' },
  { key: 'kyc_status', label: 'KYC', sort: 'kyc_status' },
  { key: 'application_status', label: 'Application', sort: 'application_status' },
  { key: 'country', label: 'Country' },
  { key: 'parent_name', label: 'Owner', sort: 'owner_name' },
  { key: 'operator_name', label: 'Operator', sort: 'operator_name' },
  { key: 'created_at', label: 'Created', sort: 'created_at' },
];
export const PAGE_SIZE = 50;

type Term = { key: string; desc: boolean };
const parseSort = (s: string | null): Term[] =>
  s
    ? s
        .split(',')
        .filter(Boolean)
        .map((p) => ({ key: p.replace(/^-/, ''), desc: p.startsWith('-') }))
    : [{ key: 'created_at', desc: false }];
const formatSort = (terms: Term[]) => terms.map((t) => (t.desc ? '-' : '') + t.key).join(',');

/** Click: sort by this column alone (again: reverse it). Shift-click: add it as a further key. */
export function nextSort(current: Term[], key: string, add: boolean): Term[] {
  const i = current.findIndex((t) => t.key === key);
  if (!add) return [{ key, desc: i === 0 && current.length === 1 ? !current[0].desc : false }];
  if (i < 0) return [...current, { key, desc: false }];
  return current.map((t, j) => (j === i ? { ...t, desc: !t.desc } : t));
}

export function CustomerList() {
  const { query } = useLocation();
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState('');
  const [search, setSearch] = useState(query.get('search') ?? '');
  const sort = parseSort(query.get('sort'));
  const pageNo = Number(query.get('page') ?? '1') || 1;
  const started = useRef(0);
  const arrived = useRef(0);

  const update = (changes: Record<string, string | undefined>, opts: { replace?: boolean; keepCursor?: boolean } = {}) => {
    const next: Record<string, string | undefined> = Object.fromEntries(query.entries());
    if (!opts.keepCursor) {
      delete next.cursor;
      delete next.page;
    }
    Object.assign(next, changes);
    const s = qs(next);
    navigate(`${BASE}/customers${s ? `?${s}` : ''}`, opts);
  };

  const apiQuery = qs({
    ...Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? undefined])),
    sort: query.get('sort') ?? undefined,
    cursor: query.get('cursor') ?? undefined,
    limit: String(PAGE_SIZE),
    count: 'true',
  });
  useEffect(() => {
    let live = true;
    started.current = performance.now();
    setError('');
    api<Page>('GET', `/v1/customers?${apiQuery}`).then(
      (p) => {
        arrived.current = performance.now();
        if (live) setPage(p);
      },
      (e: ApiError) => live && setError(e.message),
    );
    return () => void (live = false);
  }, [apiQuery]);
  useLayoutEffect(() => {
    if (page) markRendered('customers', started.current, arrived.current);
  }, [page]);

  // Typing searches after a pause, replacing the history entry rather than adding one per key.
  useEffect(() => {
    if (search === (query.get('search') ?? '')) return;
    const t = setTimeout(() => update({ search: search || undefined }, { replace: true }), 300);
    return () => clearTimeout(t);
  }, [search]);

  const select = (name: string, label: string, values: readonly string[]) => (
    <div class="field">
      <label for={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} value={query.get(name) ?? ''} onChange={(e) => update({ [name]: (e.target as HTMLSelectElement).value || undefined })}>
        <option value="">Any</option>
        {values.map((v) => (
          <option value={v}>{words(v)}</option>
        ))}
      </select>
    </div>
  );
  const text = (name: string, label: string, placeholder = '') => (
    <div class="field">
      <label for={`filter-${name}`}>{label}</label>
      <input id={`filter-${name}`} value={query.get(name) ?? ''} placeholder={placeholder} onChange={(e) => update({ [name]: (e.target as HTMLInputElement).value.trim() || undefined })} />
    </div>
  );

  const sortButton = (col: (typeof COLUMNS)[number]) => {
    const i = sort.findIndex((t) => t.key === col.sort);
    const term = sort[i];
    return (
      <button
        type="button"
        class="sort"
        title="Click to sort by this column; shift-click to add it as a further sort key"
        onClick={(e) => update({ sort: formatSort(nextSort(sort, col.sort!, e.shiftKey)) })}
      >
        {col.label}
        {term && (
          <span class="sort-mark" aria-hidden="true">
            {term.desc ? ' ▼' : ' ▲'}
            {sort.length > 1 ? i + 1 : ''}
          </span>
        )}
      </button>
    );
  };
  const ariaSort = (col: (typeof COLUMNS)[number]) => {
    const term = sort[0]?.key === col.sort ? sort[0] : undefined;
    return term ? (term.desc ? 'descending' : 'ascending') : undefined;
  };

  return (
    <section aria-labelledby="customers-title">
      <h1 id="customers-title">Customers</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          update({ search: search || undefined });
        }}
      >
        <div class="field grow">
          <label for="search">Search</label>
          <input id="search" type="search" value={search} placeholder="Name, email, phone, external id or id" onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
        </div>
        {select('type', 'Type', CUSTOMER_TYPES)}
        {select('kyb_status', 'KYB', KYB_STATUSES)}
        {select('kyc_status', 'KYC', KYC_STATUSES)}
        {select('application_status', 'Application', APPLICATION_STATUSES)}
        {text('country', 'Country', 'DK')}
        {text('product', 'Product', 'crypto')}
        {text('parent_id', 'Owner id')}
        {text('operator_id', 'Operator id')}
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="summary" role="status" aria-live="polite">
        {page ? (
          <>
            <strong id="total-count">{page.total_count.toLocaleString('en')}</strong> customers · page {pageNo}
          </>
        ) : (
          'Loading…'
        )}
      </p>
      <div class="table-wrap">
        <table class="list" aria-describedby="customers-title" aria-busy={page ? 'false' : 'true'}>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th scope="col" aria-sort={ariaSort(c)}>
                  {c.sort ? sortButton(c) : c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page?.data.map((c) => (
              <tr>
                <td>
                  <Link href={`${BASE}/customers/${c.id}`}>{displayName(c)}</Link>
                </td>
                <td>{words(c.type)}</td>
                <td>
                  <span class={`badge s-${c.kyb_status}`}>{words(c.kyb_status)}</span>
                </td>
                <td>
                  <span class={`badge s-${c.kyc_status}`}>{words(c.kyc_status)}</span>
                </td>
                <td>{words(c.application_status)}</td>
                <td>{c.country ?? '—'}</td>
                <td>{c.parent_id ? <Link href={`${BASE}/customers/${c.parent_id}`}>{c.parent_name ?? c.parent_id}</Link> : '—'}</td>
                <td>{c.operator_id ? <Link href={`${BASE}/customers/${c.operator_id}`}>{c.operator_name ?? c.operator_id}</Link> : '—'}</td>
                <td>{when(c.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={!page?.prev_cursor} onClick={() => update({ cursor: page!.prev_cursor!, page: String(Math.max(1, pageNo - 1)) }, { keepCursor: true })}>
          ← Previous
        </button>
        <button type="button" disabled={!page?.next_cursor} onClick={() => update({ cursor: page!.next_cursor!, page: String(pageNo + 1) }, { keepCursor: true })}>
          Next →
        </button>
      </nav>
    </section>
  );
}
