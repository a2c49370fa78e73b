import type { ScopedQuery } from '../../core/scope.ts';
import { RosterError } from '../../core/errors.ts';
import { RESOURCES } from './resources.ts';
import type { AnyResourceDef, FieldDef } from './resource-def.ts';
import { Params } from './params.ts';

/** What every part of one statement shares: the query, its resource's SQL and the parameters. */
export interface ListContext {
  readonly q: ScopedQuery;
  readonly def: AnyResourceDef;
  readonly p: Params;
  /** The account's parameter: always the first, so every statement is scoped by $1. */
  readonly account: string;
}

export function listContext(q: ScopedQuery): ListContext {
  const p = new Params();
  return { q, def: RESOURCES[q.resource], p, account: p.add(q.accountId, 'text') };
}

/** A field a filter names, or a clear error when this resource has no such field. */
export function field(ctx: ListContext, name: string): FieldDef {
  const f = fieldIfAny(ctx, name);
  if (!f) throw new RosterError('invalid_request', `${ctx.q.resource} cannot be filtered by ${name}`);
  return f;
}

/** A field of this resource, if it has one by that name. */
export function fieldIfAny(ctx: ListContext, name: string): FieldDef | undefined {
  const fields: Partial<Record<string, FieldDef>> = ctx.def.fields;
  return fields[name];
}

/** Conditions joined by AND, leaving out those that are always true. */
export const conjoin = (conds: string[]): string[] => conds.filter((s) => s !== 'TRUE');
