import { call } from './support/stores.ts';

// The in-memory oracle for the Spirii contract suites: every canonical record read through /v1,
// with owner, CPO and descendants recomputed from parent links alone (never from the store's
// derived columns), then filtered and sorted by plain JavaScript.

export interface Rec {
  id: string;
  number: number;
  name: string | null;
  first_name: string | null;
  last_name: string | null;
  external_id: string | null;
  type: string;
  parent_id: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  extensions: Record<string, any>;
}

export const SPIRII_TYPE: Record<string, string> = { individual: 'Private', contact: 'Private', employee: 'Private', other: 'Private', business: 'Business', operator: 'CPO', operator_subsidiary: 'CPOSubsidiary' };

export async function readAll(base: string, key: string): Promise<Rec[]> {
  const out: Rec[] = [];
  let after: string | undefined;
  for (;;) {
    const r = await call(base, 'GET', `/v1/customers?limit=100&sort=id&include_deleted=true${after ? `&starting_after=${after}` : ''}`, { key });
    if (r.status !== 200) throw new Error(`oracle read failed: ${r.status} ${JSON.stringify(r.body)}`);
    out.push(...r.body.data);
    if (!r.body.has_more_after) return out;
    after = r.body.data.at(-1).id;
  }
}

export class Oracle {
  readonly byId: Map<string, Rec>;
  readonly live: Rec[];
  constructor(readonly all: Rec[]) {
    this.byId = new Map(all.map((r) => [r.id, r]));
    this.live = all.filter((r) => !r.deleted_at);
  }

  parent(r: Rec): Rec | undefined {
    return r.parent_id ? this.byId.get(r.parent_id) : undefined;
  }

  ancestors(r: Rec): Rec[] {
    const out: Rec[] = [];
    for (let p = this.parent(r); p; p = this.parent(p)) out.push(p);
    return out;
  }

  /** The nearest CPO above a customer. */
  operator(r: Rec): Rec | undefined {
    return this.ancestors(r).find((a) => a.type === 'operator');
  }

  depth(r: Rec): number {
    return this.ancestors(r).length;
  }

  sortValue(key: string, r: Rec): string | number {
    switch (key) {
      case 'id': return r.number;
      case 'name': return (r.name ?? '').toLowerCase();
      case 'type': return r.type;
      case 'ownerName': return (this.parent(r)?.name ?? '').toLowerCase();
      case 'cpoName': return (this.operator(r)?.name ?? '').toLowerCase();
      case 'createdAt': return r.created_at;
      case 'updatedAt': return r.updated_at;
      default: throw new Error(key);
    }
  }

  /** Matching live records in order: the sort key, then the canonical id in the same direction. */
  list(match: (r: Rec) => boolean, sortBy: string, dir: 'asc' | 'desc'): Rec[] {
    const sign = dir === 'asc' ? 1 : -1;
    const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
    return this.live.filter(match).sort((a, b) => sign * (cmp(this.sortValue(sortBy, a), this.sortValue(sortBy, b)) || cmp(a.id, b.id)));
  }

  /** What the Spirii API should render for a record. */
  rendered(r: Rec) {
    const s = r.extensions?.spirii ?? {};
    const parent = this.parent(r);
    const op = this.operator(r);
    return {
      id: r.number,
      name: r.name,
      externalId: r.external_id,
      type: SPIRII_TYPE[r.type],
      owner: parent ? { id: parent.number, name: parent.name } : null,
      cpo: op ? { id: op.number, name: op.name } : null,
      locations: s.locations ?? [],
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }
}

/** The fields of a Spirii customer the oracle predicts. */
export const core = (c: any) => ({ id: c.id, name: c.name, externalId: c.externalId, type: c.type, owner: c.owner, cpo: c.cpo, locations: c.locations, createdAt: c.createdAt, updatedAt: c.updatedAt });
