import type { Db } from '../../src/store/db.ts';
import { storedCustomers } from './records.ts';
import { cLower, cmp } from './order.ts';

// The in-memory oracle for the Spirii contract suites: every customer read from the tables, with
// owner, CPO and descendants recomputed from parent links alone (never from the store's derived
// columns), then filtered and sorted by plain JavaScript.

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

export const SPIRII_TYPE: Record<string, string> = {
  individual: 'Private',
  contact: 'Private',
  employee: 'Private',
  other: 'Private',
  business: 'Business',
  operator: 'CPO',
  operator_subsidiary: 'CPOSubsidiary',
};

/** Every customer of the account, deleted ones too, as the tables hold them. */
export const readAll = (db: Db, account: string): Promise<Rec[]> => storedCustomers(db, account);

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
      case 'id':
        return r.number;
      case 'name':
        return cLower(r.name);
      case 'type':
        return r.type;
      case 'ownerName':
        return cLower(this.parent(r)?.name);
      case 'cpoName':
        return cLower(this.operator(r)?.name);
      case 'createdAt':
        return r.created_at;
      case 'updatedAt':
        return r.updated_at;
      default:
        throw new Error(key);
    }
  }

  /** Matching live records in order: the sort key, then the canonical id in the same direction. */
  list(match: (r: Rec) => boolean, sortBy: string, dir: 'asc' | 'desc'): Rec[] {
    const sign = dir === 'asc' ? 1 : -1;
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
export const core = (c: any) => ({
  id: c.id,
  name: c.name,
  externalId: c.externalId,
  type: c.type,
  owner: c.owner,
  cpo: c.cpo,
  locations: c.locations,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});
