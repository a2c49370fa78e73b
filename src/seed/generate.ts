import { Faker, en } from '@faker-js/faker';
import { ksuid } from '../core/ids.ts';
import { APPLICATION_STATUSES, KYB_STATUSES, type CustomerType } from '../core/model.ts';

// Deterministic, realistic demo data: the same seed always yields the same records.

/** mulberry32: a tiny seeded PRNG, so structure and ids do not depend on Math.random. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedCustomer {
  id: string;
  number: number;
  uuid: string;
  external_id: string;
  type: CustomerType;
  name: string;
  first_name: string | null;
  last_name: string | null;
  email: string;
  phone_number: string;
  country: string;
  kyb_status: string;
  kyc_links: unknown[];
  application: Record<string, unknown> | null;
  provider_statuses: unknown[];
  attributes: Record<string, unknown>;
  metadata: Record<string, unknown>;
  parent_id: string | null;
  parent_name: string | null;
  ancestors: string[];
  operator_id: string | null;
  operator_name: string | null;
  is_sub_client: boolean;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  product_accounts: { product: string; kyc_status: string; kyc_approved_at: Date | null; current_market_value: string }[];
}

interface Node { id: string; name: string; type: CustomerType; ancestors: string[]; operator_id: string | null; operator_name: string | null }

const COUNTRIES = ['US', 'GB', 'DE', 'DK', 'NO', 'SE', 'FR', 'NL', 'ES', 'CA'];
const PRODUCTS = ['crypto', 'securities', 'robo', 'roth_ira'];
const LINK_STATUSES = ['not_started', 'pending', 'in_review', 'approved', 'rejected', 'expired'];
const START = Date.UTC(2021, 0, 1);
const END = Date.UTC(2026, 9, 1);

export function* generateCustomers(opts: { count: number; seed: number; firstNumber: number }): Generator<SeedCustomer> {
  const rnd = prng(opts.seed);
  const faker = new Faker({ locale: [en] });
  faker.seed(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const bytes = () => {
    const b = Buffer.alloc(16);
    for (let i = 0; i < 16; i += 4) b.writeUInt32BE(Math.floor(rnd() * 2 ** 32), i);
    return b;
  };
  const uuidOf = (b: Buffer) => {
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[b[8] & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  // Parents are drawn from bounded pools, so memory stays flat at any size.
  const operators: Node[] = [];
  const owners: Node[] = [];
  const span = (END - START) / Math.max(1, opts.count);

  for (let i = 0; i < opts.count; i++) {
    const number = opts.firstNumber + i;
    const created = new Date(Math.floor(START + i * span + rnd() * span));
    const roll = rnd();
    let type: CustomerType;
    let parent: Node | undefined;
    if (roll < 0.01 || operators.length === 0) type = 'operator';
    else if (roll < 0.04) { type = 'operator_subsidiary'; parent = pick(operators); }
    else if (roll < 0.30) { type = 'business'; parent = rnd() < 0.7 ? pick(owners.length ? owners : operators) : undefined; }
    else { type = 'individual'; parent = rnd() < 0.25 && owners.length ? pick(owners) : undefined; }

    const person = type === 'individual';
    const first = person ? faker.person.firstName() : null;
    const last = person ? faker.person.lastName() : null;
    const name = person ? `${first} ${last}` : faker.company.name();
    const id = ksuid(created, bytes());
    const slug = name.toLowerCase().replace(/[^a-z]+/g, '.').replace(/^\.|\.$/g, '');
    const ancestors = parent ? [...parent.ancestors, parent.id] : [];
    const operator = parent ? (parent.type === 'operator' ? parent : parent.operator_id ? { id: parent.operator_id, name: parent.operator_name! } : undefined) : undefined;

    const hasApp = rnd() < 0.6;
    const appStatus = pick(APPLICATION_STATUSES);
    const decision = hasApp && (appStatus === 'approved' || appStatus === 'declined') ? appStatus : null;
    const linkStatus = pick(LINK_STATUSES);
    const linkAt = new Date(created.getTime() + 3600_000).toISOString();
    // Changed up to 400 days after creation, never past the end of the range: spread, not capped,
    // so a sync by updated_at never meets hundreds of records sharing one instant.
    const updated = new Date(created.getTime() + Math.floor(rnd() * Math.min(86400_000 * 400, END - created.getTime() + 86400_000)));
    const accounts = rnd() < 0.4
      ? PRODUCTS.filter(() => rnd() < 0.5).map((product) => {
          const approved = rnd() < 0.7;
          return { product, kyc_status: approved ? 'approved' : pick(['pending', 'rejected', 'in_review']), kyc_approved_at: approved ? new Date(created.getTime() + 86400_000) : null, current_market_value: (Math.floor(rnd() * 10_000_000) / 100).toFixed(2) };
        })
      : [];

    const c: SeedCustomer = {
      id, number, uuid: uuidOf(bytes()), external_id: `ext-${String(number).padStart(7, '0')}`, type, name, first_name: first, last_name: last,
      email: `${slug}.${number}@example.com`,
      // Unique per account, like the store requires: derived from the number, not drawn.
      phone_number: `+1${2_000_000_000 + number}`,
      country: pick(COUNTRIES),
      kyb_status: pick(KYB_STATUSES),
      kyc_links: rnd() < 0.7 ? [{ provider_id: 'trm_labs', link_type: 'persona', url: `https://verify.example.com/kyb/${id}`, status: linkStatus, created_at: linkAt, updated_at: linkAt }] : [],
      application: hasApp ? { id: ksuid(created, bytes()), status: appStatus, decision, url: `https://onboarding.example.com/applications/${number}` } : null,
      provider_statuses: [{ provider_id: 'trm_labs', status: pick(['not_started', 'in_review', 'approved', 'rejected']) }],
      attributes: rnd() < 0.3 ? { tier: pick(['gold', 'silver', 'bronze']), ...(rnd() < 0.5 ? { newsletter: true } : {}) } : {},
      metadata: {},
      parent_id: parent?.id ?? null,
      parent_name: parent?.name ?? null,
      ancestors,
      operator_id: operator?.id ?? null,
      operator_name: operator?.name ?? null,
      is_sub_client: type === 'business' && rnd() < 0.1,
      created_at: created,
      updated_at: updated,
      deleted_at: rnd() < 0.02 ? updated : null,
      product_accounts: accounts,
    };
    const node: Node = { id, name, type, ancestors, operator_id: operator?.id ?? null, operator_name: operator?.name ?? null };
    if (type === 'operator' && operators.length < 5000) operators.push(node);
    if ((type === 'business' || type === 'operator_subsidiary') && ancestors.length < 4 && owners.length < 20000) owners.push(node);
    yield c;
  }
}

export function* generateUsers(opts: { count: number; seed: number }) {
  const rnd = prng(opts.seed + 1);
  const faker = new Faker({ locale: [en] });
  faker.seed(opts.seed + 1);
  for (let i = 0; i < opts.count; i++) {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const created = new Date(START + Math.floor(rnd() * (END - START)));
    const b = Buffer.alloc(16);
    for (let j = 0; j < 16; j += 4) b.writeUInt32BE(Math.floor(rnd() * 2 ** 32), j);
    yield {
      id: ksuid(created, b),
      first_name: first,
      last_name: last,
      email: `${first}.${last}.${i + 1}@team.example.com`.toLowerCase(),
      role: rnd() < 0.2 ? 'admin' : 'viewer',
      swift_enabled: rnd() < 0.5,
      created_at: created,
    };
  }
}
