import { useEffect, useState } from 'preact/hooks';
import type { Customer } from '../../core/model.ts';
import { api } from './api.ts';
import { displayName, when, words } from './format.ts';
import { BASE, Link } from './router.ts';

// The parts of a customer page that read beyond the record itself: its place in the hierarchy,
// product accounts, tags and tokens.

interface List<T> {
  data: T[];
  total_count?: number;
  has_more_after?: boolean;
}
type Brief = Pick<Customer, 'id' | 'name' | 'first_name' | 'last_name' | 'type'>;
const customerLink = (id: string, label: string) => <Link href={`${BASE}/customers/${id}`}>{label}</Link>;

export function Hierarchy({ c }: { c: Customer }) {
  const [children, setChildren] = useState<List<Brief> | null>(null);
  const [above, setAbove] = useState<Record<string, Brief>>({});
  useEffect(() => {
    api<List<Brief>>('GET', `/v1/customers?parent_id=${c.id}&limit=20&count=true&sort=name`).then(setChildren, () => setChildren({ data: [] }));
    if (c.ancestors.length) {
      api<List<Brief>>('GET', `/v1/customers?id=${c.ancestors.join(',')}&limit=100`).then(
        (r) => setAbove(Object.fromEntries(r.data.map((a) => [a.id, a]))),
        () => {},
      );
    }
  }, [c.id, c.updated_at]);
  return (
    <section class="card" aria-labelledby="hierarchy-title">
      <h2 id="hierarchy-title">Hierarchy</h2>
      <dl class="kv">
        <dt>Owner</dt>
        <dd id="owner-link">{c.parent_id ? customerLink(c.parent_id, c.parent_name ?? c.parent_id) : '—'}</dd>
        <dt>Operator</dt>
        <dd id="operator-link">{c.operator_id ? customerLink(c.operator_id, c.operator_name ?? c.operator_id) : '—'}</dd>
        <dt>Path</dt>
        <dd>
          {c.ancestors.length ? (
            <ol class="path">
              {c.ancestors.map((a) => (
                <li>{customerLink(a, above[a] ? displayName(above[a]) : a)}</li>
              ))}
              <li aria-current="page">{displayName(c)}</li>
            </ol>
          ) : (
            'top level'
          )}
        </dd>
        <dt>Sub-client</dt>
        <dd>{c.is_sub_client ? 'yes' : 'no'}</dd>
      </dl>
      <h3>Customers it owns {children?.total_count !== undefined && <span class="muted">({children.total_count})</span>}</h3>
      {children &&
        (children.data.length ? (
          <ul class="children">
            {children.data.map((k) => (
              <li>
                {customerLink(k.id, displayName(k))} <span class="muted">{words(k.type)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">None.</p>
        ))}
      {children?.total_count !== undefined && children.total_count > children.data.length && (
        <p>
          <Link href={`${BASE}/customers?parent_id=${c.id}`}>All {children.total_count} in the list</Link>
        </p>
      )}
    </section>
  );
}

export function ProductAccounts({ c }: { c: Customer }) {
  return (
    <section class="card" aria-labelledby="products-title">
      <h2 id="products-title">Product accounts</h2>
      {c.product_accounts.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <table class="compact">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">KYC</th>
              <th scope="col">Approved</th>
              <th scope="col" class="num">
                Market value
              </th>
            </tr>
          </thead>
          {/* Values are the API's exact decimal strings, shown as they are: never through a float. */}
          <tbody>
            {c.product_accounts.map((p) => (
              <tr>
                <td>{words(p.product)}</td>
                <td>{words(p.kyc_status)}</td>
                <td>{when(p.kyc_approved_at)}</td>
                <td class="num">
                  <code>{p.current_market_value}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface Tag {
  id: string;
  tag: string;
}
interface Token {
  id: string;
  type: string;
  value: string;
  created_at: string;
}

export function TagsAndTokens({ c, version }: { c: Customer; version: number }) {
  const [tags, setTags] = useState<Tag[] | null>(null);
  const [tokens, setTokens] = useState<Token[] | null>(null);
  useEffect(() => {
    api<List<Tag>>('GET', `/v1/customers/${c.id}/tags`).then(
      (r) => setTags(r.data),
      () => setTags([]),
    );
    api<List<Token>>('GET', `/v1/customers/${c.id}/tokens`).then(
      (r) => setTokens(r.data),
      () => setTokens([]),
    );
  }, [c.id, version]);
  return (
    <section class="card" aria-labelledby="tags-title">
      <h2 id="tags-title">Tags and tokens</h2>
      <h3>Tags</h3>
      {tags &&
        (tags.length ? (
          <ul class="chips">
            {tags.map((t) => (
              <li class="chip" title={t.id}>
                {t.tag}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">None.</p>
        ))}
      <h3>Tokens</h3>
      {tokens &&
        (tokens.length ? (
          <table class="compact">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Value</th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr>
                  <td>{t.type}</td>
                  <td>
                    <code>{t.value}</code>
                  </td>
                  <td>{when(t.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">None.</p>
        ))}
    </section>
  );
}
