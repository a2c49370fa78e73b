import { Faker, en } from '@faker-js/faker';

// Names come from faker, drawn once per seed into fixed pools and then picked by index: a faker
// call per record was most of the cost of generating a million. The pool sizes do not depend on
// how many records are asked for, so a seed yields the same records at any count.

const PERSON_POOL = 4096;
const COMPANY_POOL = 8192;

export interface NamePools {
  first: string[];
  last: string[];
  company: string[];
  /** Each pool entry as an email local part: lower case, runs of anything else as one dot. */
  firstSlug: string[];
  lastSlug: string[];
  companySlug: string[];
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z]+/g, '.')
    .replace(/^\.|\.$/g, '');

const cache = new Map<number, NamePools>();

export function namePools(seed: number): NamePools {
  let pools = cache.get(seed);
  if (!pools) {
    const faker = new Faker({ locale: [en] });
    faker.seed(seed);
    const draw = (n: number, f: () => string) => Array.from({ length: n }, f);
    const first = draw(PERSON_POOL, () => faker.person.firstName());
    const last = draw(PERSON_POOL, () => faker.person.lastName());
    const company = draw(COMPANY_POOL, () => faker.company.name());
    pools = { first, last, company, firstSlug: first.map(slug), lastSlug: last.map(slug), companySlug: company.map(slug) };
    // A handful of seeds are in use at a time (tests, the demo); keep them, drop the rest.
    if (cache.size >= 8) cache.delete(cache.keys().next().value!);
    cache.set(seed, pools);
  }
  return pools;
}
