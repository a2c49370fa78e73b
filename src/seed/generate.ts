import { Faker, en } from '@faker-js/faker';
import { APPLICATION_STATUSES, KYB_STATUSES, type CustomerType } from '../core/model.ts';
import { ksuidOf, uuidOf } from './ids.ts';
import { namePools } from './names.ts';
import { prng, words } from './random.ts';

// Deterministic, realistic demo data: the same seed always yields the same records.
//
// A load is made of batches (see store/bulk-load.ts) that stand alone: a batch's customers own
// and operate only customers of the same batch, so any set of batches is a consistent store.
// Each batch's random stream is drawn from the seed and the batch's first customer number, and
// numbers are reserved per account, so seeding an account again, with the same seed or not,
// makes new ids and uuids rather than colliding with the first load's.

export { prng };

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
  parent_number: number | null;
  ancestors: string[];
  operator_id: string | null;
  operator_name: string | null;
  operator_number: number | null;
  is_sub_client: boolean;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  product_accounts: SeedProductAccount[];
}

export interface SeedProductAccount {
  product: string;
  kyc_status: string;
  kyc_approved_at: Date | null;
  current_market_value: string;
}

/**
 * A generated customer as plain values, before it is shaped as a record: cheap to make, and
 * written to COPY text directly (see copy-text.ts) without building the record's objects.
 */
export interface RawCustomer {
  id: string;
  number: number;
  uuid: string;
  type: CustomerType;
  name: string;
  first: string | null;
  last: string | null;
  email: string;
  country: string;
  kybStatus: string;
  /** Status of the one persona link, or null when there is none. */
  linkStatus: string | null;
  application: { id: string; status: string; decision: string | null } | null;
  /** Index for providerStatusesOf. */
  providerStatus: number;
  /** Index for attributesOf. */
  attributes: number;
  parent: Ref | undefined;
  operator: Ref | undefined;
  ancestors: string[];
  isSubClient: boolean;
  createdMs: number;
  updatedMs: number;
  deleted: boolean;
  products: { product: string; kycStatus: string; approved: boolean; value: string }[];
}

/** A parent or operator as its descendants carry it. */
interface Ref {
  id: string;
  name: string;
  number: number;
}
interface Node extends Ref {
  type: CustomerType;
  ancestors: string[];
  operator: Ref | undefined;
}

const COUNTRIES = ['US', 'GB', 'DE', 'DK', 'NO', 'SE', 'FR', 'NL', 'ES', 'CA'];
const PRODUCTS = ['crypto', 'securities', 'robo', 'roth_ira'];
const LINK_STATUSES = ['not_started', 'pending', 'in_review', 'approved', 'rejected', 'expired'];
const OPEN_KYC = ['pending', 'rejected', 'in_review'];
/** Few distinct values: a raw customer holds an index into these. */
const PROVIDER_STATUSES = ['not_started', 'in_review', 'approved', 'rejected'];
const ATTRIBUTE_SETS: Record<string, unknown>[] = [{}, ...['gold', 'silver', 'bronze'].flatMap((tier) => [{ tier }, { tier, newsletter: true }])];
export const providerStatusesOf = (i: number) => [{ provider_id: 'trm_labs', status: PROVIDER_STATUSES[i] }];
export const attributesOf = (i: number) => ({ ...ATTRIBUTE_SETS[i] });
export const PROVIDER_STATUS_COUNT = PROVIDER_STATUSES.length;
export const ATTRIBUTE_SET_COUNT = ATTRIBUTE_SETS.length;
const START = Date.UTC(2021, 0, 1);
const END = Date.UTC(2026, 9, 1);
const DAY = 86400_000;
const CENTS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
/** An amount of cents as an exact decimal string with two decimals. */
const money = (cents: number) => `${Math.floor(cents / 100)}.${CENTS[cents % 100]}`;
/** Deepest ancestor chain a record can have: owners are only drawn while shallower than this. */
export const MAX_DEPTH = 4;

/** Customers per batch of a load: each batch is one transaction (see store/bulk-load.ts). */
export const BATCH = 20_000;

/** A 32-bit seed for the stream that starts at `firstNumber` (murmur3's finalizer over both). */
export function streamSeed(seed: number, firstNumber: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(firstNumber >>> 0, 0x85ebca6b) ^ Math.floor(firstNumber / 4294967296)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface LoadShape {
  /** Customers in the whole load. */
  count: number;
  seed: number;
  /** The number of the load's first customer. */
  firstNumber: number;
  /** Customers per batch (BATCH unless a test wants many small ones). */
  batchSize?: number;
}

/** How many batches a load has. */
export const batchesOf = (load: Pick<LoadShape, 'count' | 'batchSize'>) => Math.ceil(load.count / (load.batchSize ?? BATCH));

/** The customers of one batch. */
export const batchCount = (load: Pick<LoadShape, 'count' | 'batchSize'>, batch: number) => {
  const size = load.batchSize ?? BATCH;
  return Math.max(0, Math.min(size, load.count - batch * size));
};

/** One batch of a load: standalone, and the same whichever run of the load makes it. */
export function* generateBatch(load: LoadShape, batch: number): Generator<RawCustomer> {
  yield* generateRange({ ...load, offset: batch * (load.batchSize ?? BATCH), take: batchCount(load, batch) });
}

/** A whole load, batch after batch: exactly the records the seed writes. */
export function* generateRaw(load: LoadShape): Generator<RawCustomer> {
  for (let b = 0; b < batchesOf(load); b++) yield* generateBatch(load, b);
}

function* generateRange(opts: LoadShape & { offset: number; take: number }): Generator<RawCustomer> {
  const startNumber = opts.firstNumber + opts.offset;
  const u32 = words(streamSeed(opts.seed, startNumber), startNumber);
  const rnd = () => u32() / 4294967296;
  const names = namePools(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const index = (n: number) => Math.floor(rnd() * n);
  // Parents are drawn from bounded pools, so memory stays flat at any size.
  const operators: Node[] = [];
  const owners: Node[] = [];
  // Creation times spread over the whole load's period, in number order.
  const span = (END - START) / Math.max(1, opts.count);

  for (let j = 0; j < opts.take; j++) {
    const i = opts.offset + j;
    const number = startNumber + j;
    const createdMs = Math.floor(START + i * span + rnd() * span);
    const roll = rnd();
    let type: CustomerType;
    let parent: Node | undefined;
    if (roll < 0.01 || operators.length === 0) type = 'operator';
    else if (roll < 0.04) {
      type = 'operator_subsidiary';
      parent = pick(operators);
    } else if (roll < 0.3) {
      type = 'business';
      parent = rnd() < 0.7 ? pick(owners.length ? owners : operators) : undefined;
    } else {
      type = 'individual';
      parent = rnd() < 0.25 && owners.length ? pick(owners) : undefined;
    }

    let first: string | null = null;
    let last: string | null = null;
    let name: string;
    let local: string;
    if (type === 'individual') {
      const f = index(names.first.length);
      const l = index(names.last.length);
      first = names.first[f];
      last = names.last[l];
      name = `${first} ${last}`;
      local = `${names.firstSlug[f]}.${names.lastSlug[l]}`;
    } else {
      const c = index(names.company.length);
      name = names.company[c];
      local = names.companySlug[c];
    }
    const id = ksuidOf(createdMs, u32(), u32(), u32(), u32());
    const ancestors = parent ? [...parent.ancestors, parent.id] : [];
    const operator = parent ? (parent.type === 'operator' ? { id: parent.id, name: parent.name, number: parent.number } : parent.operator) : undefined;

    const hasApp = rnd() < 0.6;
    const appStatus = pick(APPLICATION_STATUSES);
    const decision = hasApp && (appStatus === 'approved' || appStatus === 'declined') ? appStatus : null;
    const linkStatus = pick(LINK_STATUSES);
    // Changed up to 400 days after creation, never past the end of the range: spread, not capped,
    // so a sync by updated_at never meets hundreds of records sharing one instant.
    const updatedMs = createdMs + Math.floor(rnd() * Math.min(DAY * 400, END - createdMs + DAY));
    const products: RawCustomer['products'] = [];
    if (rnd() < 0.4) {
      for (const product of PRODUCTS) {
        if (rnd() >= 0.5) continue;
        const approved = rnd() < 0.7;
        products.push({ product, kycStatus: approved ? 'approved' : pick(OPEN_KYC), approved, value: money(Math.floor(rnd() * 10_000_000)) });
      }
    }
    const raw: RawCustomer = {
      id,
      number,
      type,
      name,
      first,
      last,
      uuid: uuidOf(u32(), u32(), u32(), u32()),
      // Email, external id and phone are unique per account, like the store requires: derived
      // from the number, not drawn.
      email: `${local}.${number}@example.com`,
      country: pick(COUNTRIES),
      kybStatus: pick(KYB_STATUSES),
      linkStatus: rnd() < 0.7 ? linkStatus : null,
      application: hasApp ? { id: ksuidOf(createdMs, u32(), u32(), u32(), u32()), status: appStatus, decision } : null,
      providerStatus: index(PROVIDER_STATUSES.length),
      attributes: rnd() < 0.3 ? 1 + index(ATTRIBUTE_SETS.length - 1) : 0,
      parent,
      operator,
      ancestors,
      isSubClient: type === 'business' && rnd() < 0.1,
      createdMs,
      updatedMs,
      deleted: rnd() < 0.02,
      products,
    };
    if (type === 'operator' && operators.length < 5000) operators.push({ id, name, number, type, ancestors, operator });
    if ((type === 'business' || type === 'operator_subsidiary') && ancestors.length < MAX_DEPTH && owners.length < 20000) owners.push({ id, name, number, type, ancestors, operator });
    yield raw;
  }
}

export const externalIdOf = (number: number) => `ext-${String(number).padStart(7, '0')}`;
export const phoneOf = (number: number) => `+1${2_000_000_000 + number}`;
export const linkUrlOf = (id: string) => `https://verify.example.com/kyb/${id}`;
export const applicationUrlOf = (number: number) => `https://onboarding.example.com/applications/${number}`;
export const LINK_DELAY_MS = 3600_000;
export const APPROVAL_DELAY_MS = DAY;

/** The record a raw customer stands for. */
export function toSeedCustomer(r: RawCustomer): SeedCustomer {
  const linkAt = r.linkStatus === null ? '' : new Date(r.createdMs + LINK_DELAY_MS).toISOString();
  const updated = new Date(r.updatedMs);
  return {
    id: r.id,
    number: r.number,
    uuid: r.uuid,
    external_id: externalIdOf(r.number),
    type: r.type,
    name: r.name,
    first_name: r.first,
    last_name: r.last,
    email: r.email,
    phone_number: phoneOf(r.number),
    country: r.country,
    kyb_status: r.kybStatus,
    kyc_links: r.linkStatus === null ? [] : [{ provider_id: 'trm_labs', link_type: 'persona', url: linkUrlOf(r.id), status: r.linkStatus, created_at: linkAt, updated_at: linkAt }],
    application: r.application && { ...r.application, url: applicationUrlOf(r.number) },
    provider_statuses: providerStatusesOf(r.providerStatus),
    attributes: attributesOf(r.attributes),
    metadata: {},
    parent_id: r.parent?.id ?? null,
    parent_name: r.parent?.name ?? null,
    parent_number: r.parent?.number ?? null,
    ancestors: r.ancestors,
    operator_id: r.operator?.id ?? null,
    operator_name: r.operator?.name ?? null,
    operator_number: r.operator?.number ?? null,
    is_sub_client: r.isSubClient,
    created_at: new Date(r.createdMs),
    updated_at: updated,
    deleted_at: r.deleted ? updated : null,
    product_accounts: r.products.map((p) => ({
      product: p.product,
      kyc_status: p.kycStatus,
      kyc_approved_at: p.approved ? new Date(r.createdMs + APPROVAL_DELAY_MS) : null,
      current_market_value: p.value,
    })),
  };
}

export function* generateCustomers(opts: LoadShape): Generator<SeedCustomer> {
  for (const r of generateRaw(opts)) yield toSeedCustomer(r);
}

/**
 * Team users. `offset` is how many users the account had when the load began: their emails
 * are numbered on from there, and their stream is salted with it, so seeding an account again
 * adds users rather than colliding with the first ones.
 */
export function* generateUsers(opts: { count: number; seed: number; offset?: number }) {
  const offset = opts.offset ?? 0;
  const salt = offset === 0 ? opts.seed + 1 : streamSeed(opts.seed + 1, offset);
  const u32 = words(salt);
  const rnd = () => u32() / 4294967296;
  const faker = new Faker({ locale: [en] });
  faker.seed(salt);
  for (let i = offset; i < offset + opts.count; i++) {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const created = new Date(START + Math.floor(rnd() * (END - START)));
    yield {
      id: ksuidOf(created.getTime(), u32(), u32(), u32(), u32()),
      first_name: first,
      last_name: last,
      email: `${first}.${last}.${i + 1}@team.example.com`.toLowerCase(),
      role: rnd() < 0.2 ? 'admin' : 'viewer',
      swift_enabled: rnd() < 0.5,
      created_at: created,
    };
  }
}
