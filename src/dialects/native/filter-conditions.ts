import type { Filter, Resource, Scalar } from '../../core/list-query.ts';
import { booleanValue, fieldValue, JSON_FIELDS, JSON_OPS, jsonKey, MAX_LIST, MAX_VALUE_LENGTH, NATIVE_FIELDS, opsOf, type JsonField, type Op } from './filter-fields.ts';

// One condition — a field (or a metadata/attributes key), an operator and its values, however
// it was written — as a node of the query tree. `neq` and `nin` are `not` of `eq` and `in`,
// which keeps records where the field is null (two-valued, see Tree in core/list-query.ts).

export interface Condition {
  readonly field: string;
  /** The key of a metadata or attributes condition. */
  readonly key?: string;
  readonly op: string;
  readonly values: readonly string[];
}

const not = (filter: Filter): Filter => ({ kind: 'not', filter });
const anyOf = (filters: Filter[]): Filter => (filters.length === 1 ? filters[0] : { kind: 'or', filters });

/** The condition's filter; an Error says what is wrong with it. */
export function conditionFilter<R extends Resource>(resource: R, c: Condition): Filter<R> {
  if (c.key !== undefined) {
    if (resource !== 'customers') throw new Error(`${resource} have no metadata or attributes to filter by`);
    if (!(JSON_FIELDS as readonly string[]).includes(c.field)) throw new Error(`${c.field} has no keys to filter by; metadata[key] and attributes[key] do`);
    return jsonCondition(c.field as JsonField, jsonKey(c.key), op(c.op, JSON_OPS, c.field), c.values) as Filter<R>;
  }
  const f = NATIVE_FIELDS[resource].find((n) => n.field === c.field);
  if (!f) throw new Error(`${resource} cannot be filtered by "${c.field}"`);
  const o = op(c.op, opsOf(f), c.field);
  const one = () => {
    if (c.values.length !== 1) throw new Error(`${o} takes one value`);
    return c.values[0];
  };
  const list = () => values(c.values).map((v) => fieldValue(f, v));
  const field = f.field;
  const node: Filter = ((): Filter => {
    switch (o) {
      case 'eq':
        return { kind: 'eq', field, value: fieldValue(f, one()) };
      case 'neq':
        return not({ kind: 'eq', field, value: fieldValue(f, one()) });
      case 'in':
        return { kind: 'in', field, values: list() };
      case 'nin':
        return not({ kind: 'in', field, values: list() });
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        return { kind: 'range', field, [o]: fieldValue(f, one()) };
      case 'prefix':
        return { kind: 'prefix', field, value: String(fieldValue(f, one())) };
      case 'contains':
        return { kind: 'contains', field, value: String(fieldValue(f, one())) };
      case 'null':
        return { kind: 'null', field, isNull: booleanValue(one()) };
    }
  })();
  return node as Filter<R>;
}

function op(raw: string, allowed: readonly Op[], field: string): Op {
  if (!(allowed as readonly string[]).includes(raw)) throw new Error(`${field} takes the operators ${allowed.join(', ')}, not "${raw}"`);
  return raw as Op;
}

function values(vs: readonly string[]): readonly string[] {
  if (vs.length === 0) throw new Error('needs at least one value');
  if (vs.length > MAX_LIST) throw new Error(`at most ${MAX_LIST} values`);
  return vs;
}

/**
 * A top-level key of a JSON object. A value matches a JSON string equal to it, and also the
 * number or boolean it spells (`5` matches 5 and "5"; `true` matches true and "true"). Each
 * match is a containment (`@>`), which the GIN index of the column serves.
 */
function jsonCondition(field: JsonField, key: string, o: Op, raw: readonly string[]): Filter<'customers'> {
  const contains = (value: unknown): Filter<'customers'> => ({ kind: 'jsonContains', field, value: { [key]: value } });
  const equals = (vs: readonly string[]) => anyOf(values(vs).flatMap((v) => jsonValues(v).map(contains))) as Filter<'customers'>;
  const isNull: Filter<'customers'> = { kind: 'or', filters: [{ kind: 'not', filter: { kind: 'jsonHasKeys', field, keys: [key] } }, contains(null)] };
  switch (o) {
    case 'eq':
    case 'in':
      return equals(o === 'eq' ? one(raw, o) : raw);
    case 'neq':
    case 'nin':
      return { kind: 'not', filter: equals(o === 'neq' ? one(raw, o) : raw) };
    case 'null':
      return booleanValue(one(raw, o)[0]) ? isNull : { kind: 'not', filter: isNull };
    default:
      throw new Error(`${field}[${key}] takes the operators ${JSON_OPS.join(', ')}, not "${o}"`);
  }
}

function one(raw: readonly string[], o: Op): readonly string[] {
  if (raw.length !== 1) throw new Error(`${o} takes one value`);
  return raw;
}

const JSON_NUMBER = /^-?(0|[1-9]\d{0,14})(\.\d{1,15})?$/;

/** The JSON values a query value matches: itself as a string, and the number or boolean it spells. */
export function jsonValues(raw: string): Scalar[] {
  if (raw === '') throw new Error('needs a value');
  if (raw.length > MAX_VALUE_LENGTH) throw new Error(`a value is longer than ${MAX_VALUE_LENGTH} characters`);
  if (raw === 'true' || raw === 'false') return [raw, raw === 'true'];
  if (JSON_NUMBER.test(raw)) return [raw, Number(raw)];
  return [raw];
}
