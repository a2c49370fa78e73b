import { Type, type TOptional, type TString } from '@sinclair/typebox';
import type { Filter, Resource } from '../../core/list-query.ts';
import { invalid } from '../../core/errors.ts';
import { JSON_OPS, MAX_LIST, NATIVE_FIELDS, opsOf, type Op } from './filter-fields.ts';
import { conditionFilter, type Condition } from './filter-conditions.ts';
import { GrammarError, parseGroup, type Term } from './filter-grammar.ts';

// Operator parameters (`created_at[gte]=…`, `metadata[tier][in]=a,b`) and filter groups
// (`or=(country.eq.DK,type.eq.business)`): their schemas, which validate and document them,
// and the filters they mean. Each bracket parameter is a property of its own, so OpenAPI lists
// it and the fuzz test sends it; metadata and attributes keys are open, so they are a pattern.

const OP_TEXT: Record<Op, string> = {
  eq: 'equals',
  neq: 'does not equal (records without a value match)',
  in: 'is one of (comma-separated)',
  nin: 'is none of (comma-separated; records without a value match)',
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  prefix: 'starts with (case-sensitive except email)',
  contains: 'holds the value anywhere, case-insensitively (through the trigram index on the fields the search text holds, for three letters or digits in a row; else each record is tested)',
  null: 'true: has no value; false: has one',
};

export const GROUPS = ['or', 'and', 'not.or', 'not.and'] as const;
const GROUP_TEXT: Record<(typeof GROUPS)[number], string> = {
  or: 'Records matching any of the conditions',
  and: 'Records matching all of the conditions',
  'not.or': 'Records matching none of the conditions',
  'not.and': 'Records not matching all of the conditions',
};
const GRAMMAR =
  'A parenthesized, comma-separated list of `field.operator.value` conditions, e.g. `(country.eq.DK,and(type.eq.business,created_at.gte.2025-01-01T00:00:00Z))`. ' +
  'Lists for in/nin: `country.in.(DK,SE)`; `not.` before any condition or group negates it; `metadata[key].eq.value`; a value with `,` or `)` is quoted: `name.eq."Acme, Inc."` (`\\"` and `\\\\` escape). See the README, "Filter groups".';

const JSON_KEY = /^(metadata|attributes)\[([^\]]*)\](?:\[([^\]]*)\])?$/;
/** The pattern of metadata and attributes parameters; the key and operator are checked when read. */
const JSON_PARAM = '^(metadata|attributes)\\[';

/** The schema properties of a resource's operator parameters and groups. */
export function filterProperties(resource: Resource): Record<string, TOptional<TString>> {
  const props: Record<string, TOptional<TString>> = {};
  for (const f of NATIVE_FIELDS[resource]) {
    for (const op of opsOf(f)) {
      const list = op === 'in' || op === 'nin';
      props[`${f.field}[${op}]`] = Type.Optional(Type.String({ maxLength: list ? 20_000 : 500, description: `${f.field} ${OP_TEXT[op]}.` }));
    }
  }
  for (const g of GROUPS) props[g] = Type.Optional(Type.String({ minLength: 1, maxLength: 4000, description: `${GROUP_TEXT[g]}. ${GRAMMAR}` }));
  return props;
}

/** Schema options for metadata[key] and attributes[key] parameters (customers). */
export const jsonFilterPattern = {
  patternProperties: {
    [JSON_PARAM]: Type.String({
      maxLength: 20_000,
      description: `metadata[key] or attributes[key], optionally with an operator (${JSON_OPS.join(', ')}): \`metadata[tier]=gold\`, \`attributes[plan][in]=a,b\`.`,
    }),
  },
};

/** The list routes' OpenAPI description: what the parameters alone cannot say. */
export const listDescription = (resource: Resource): string =>
  [
    'Filters: the plain parameters, `field[operator]=value` on every filterable field (each listed below), and the groups `or`, `and`, `not.or`, `not.and`. ' +
      'A condition on a field a record has no value for is false, and its negation true: `country[neq]=DK` keeps customers with no country.',
    resource === 'customers'
      ? `Metadata and attributes: \`metadata[key]=value\` or \`metadata[key][operator]=value\` (and \`attributes[…]\`), operators ${JSON_OPS.join(', ')}; a value matches the JSON string equal to it and the number or boolean it spells; \`[null]=true\` matches an absent key or JSON null.`
      : '',
    'Grammar and rules: src/dialects/native/README.md in the Roster repository.',
  ]
    .filter(Boolean)
    .join('\n\n');

const split = (s: string) =>
  s
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** The filters of every operator parameter and group in a query, in the order given. */
export function operatorFilters<R extends Resource>(resource: R, query: Readonly<Record<string, unknown>>): Filter<R>[] {
  const out: Filter<R>[] = [];
  for (const [param, raw] of Object.entries(query)) {
    if (typeof raw !== 'string') continue;
    if ((GROUPS as readonly string[]).includes(param)) out.push(groupFilter(resource, param as (typeof GROUPS)[number], raw));
    else if (param.includes('[')) out.push(bracketFilter(resource, param, raw));
  }
  return out;
}

function bracketFilter<R extends Resource>(resource: R, param: string, raw: string): Filter<R> {
  const json = JSON_KEY.exec(param);
  const plain = /^([a-z_]+)\[([a-z]+)\]$/.exec(param);
  let c: Condition;
  if (json) {
    const op = json[3] ?? 'eq';
    c = { field: json[1], key: json[2], op, values: op === 'in' || op === 'nin' ? split(raw) : [raw] };
  } else if (plain) {
    const op = plain[2];
    c = { field: plain[1], op, values: op === 'in' || op === 'nin' ? split(raw) : [raw] };
  } else {
    throw invalid(param, 'write field[operator], metadata[key] or metadata[key][operator]');
  }
  try {
    return conditionFilter(resource, c);
  } catch (e) {
    throw invalid(param, (e as Error).message);
  }
}

function groupFilter<R extends Resource>(resource: R, param: (typeof GROUPS)[number], raw: string): Filter<R> {
  try {
    const filters = parseGroup(raw).map((t) => termFilter(resource, t));
    const join = param.endsWith('or') ? 'or' : 'and';
    const group: Filter<R> = { kind: join, filters };
    return param.startsWith('not.') ? { kind: 'not', filter: group } : group;
  } catch (e) {
    if (e instanceof GrammarError) throw invalid(param, e.message);
    throw e;
  }
}

function termFilter<R extends Resource>(resource: R, t: Term): Filter<R> {
  switch (t.kind) {
    case 'not':
      return { kind: 'not', filter: termFilter(resource, t.term) };
    case 'group':
      return { kind: t.join, filters: t.terms.map((x) => termFilter(resource, x)) };
    case 'condition': {
      const listOp = t.op === 'in' || t.op === 'nin';
      if (t.list && !listOp) throw new GrammarError(t.at, `${t.op} takes one value, not a list`);
      if (t.values.length > MAX_LIST) throw new GrammarError(t.at, `at most ${MAX_LIST} values in a list`);
      try {
        return conditionFilter(resource, t);
      } catch (e) {
        throw new GrammarError(t.at, `${t.field}${t.key !== undefined ? `[${t.key}]` : ''}: ${(e as Error).message}`);
      }
    }
  }
}
