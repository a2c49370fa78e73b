import type { CustomerRef, Filter } from '../../core/list-query.ts';
import type { SqlType } from './resources.ts';
import { field, type ListContext } from './context.ts';

// The filter walker: one case per node kind, so a new kind is a compile error until it is
// handled here.

const OPS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

export function compileFilter(ctx: ListContext, node: Filter): string {
  const { p } = ctx;
  switch (node.kind) {
    case 'and':
      return node.filters.length === 0 ? 'TRUE' : node.filters.map((f) => compileFilter(ctx, f)).filter((s) => s !== 'TRUE').join(' AND ') || 'TRUE';
    case 'or':
      return node.filters.length === 0 ? 'FALSE' : `(${node.filters.map((f) => compileFilter(ctx, f)).join(' OR ')})`;
    case 'not':
      return `NOT (${compileFilter(ctx, node.filter)})`;
    case 'eq': {
      const f = field(ctx, node.field);
      return `${f.sql} = ${p.value(f, node.value)}`;
    }
    case 'in': {
      const f = field(ctx, node.field);
      if (node.values.length === 0) return 'FALSE';
      return `${f.sql} = ANY(${p.array(f, node.values)})`;
    }
    case 'range': {
      const f = field(ctx, node.field);
      const parts = (['gt', 'gte', 'lt', 'lte'] as const)
        .filter((k) => node[k] !== undefined)
        .map((k) => `${f.sql} ${OPS[k]} ${p.value(f, node[k]!)}`);
      return parts.join(' AND ') || 'TRUE';
    }
    case 'null':
      return `${field(ctx, node.field).sql} IS ${node.isNull ? '' : 'NOT '}NULL`;
    case 'jsonHasKeys':
      return `c.${node.field} ?& ${p.add(node.keys, 'text[]')}`;
    case 'jsonContains':
      return `c.${node.field} @> ${p.add(JSON.stringify(node.value), 'text') + '::jsonb'}`;
    case 'childOf':
      return `c.parent_id = ${ref(ctx, node.parent)}`;
    case 'descendantOf':
      return `c.ancestors @> ARRAY[${ref(ctx, node.ancestor)}]::text[]`;
    case 'underOperator':
      return `c.operator_id = ${ref(ctx, node.operator)}`;
    case 'hasProductAccount': {
      const conds = [`pa.account_id = c.account_id`, `pa.customer_id = c.id`];
      if (node.product !== undefined) conds.push(`pa.product = ${p.add(node.product, 'text')}`);
      if (node.kycStatuses !== undefined) conds.push(`pa.kyc_status = ANY(${p.add(node.kycStatuses, 'text[]')})`);
      return `EXISTS (SELECT 1 FROM product_accounts pa WHERE ${conds.join(' AND ')})`;
    }
    case 'hasTag':
      return `EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.account_id = c.account_id AND ct.customer_id = c.id AND ct.tag_id = ${p.add(node.tagId, 'uuid')})`;
    case 'hasToken': {
      const value = node.value !== undefined ? ` AND tk.value = ${p.add(node.value, 'text')}` : '';
      const type = node.type !== undefined ? ` AND tk.type = ${p.add(node.type, 'text')}` : '';
      return `EXISTS (SELECT 1 FROM customer_tokens tk WHERE tk.account_id = c.account_id AND tk.customer_id = c.id AND tk.deleted_at IS NULL${value}${type})`;
    }
    default: {
      const unhandled: never = node;
      throw new Error(`unhandled filter ${(unhandled as Filter).kind}`);
    }
  }
}

/** A customer reference resolved inside the statement, within the same account. */
function ref(ctx: ListContext, r: CustomerRef): string {
  if (r.by === 'id') return ctx.p.add(r.value, 'text');
  const col = r.by === 'number' ? 'number' : 'external_id';
  const type: SqlType = r.by === 'number' ? 'bigint' : 'text';
  return `(SELECT r.id FROM customers r WHERE r.account_id = ${ctx.account} AND r.${col} = ${ctx.p.add(r.value, type)} LIMIT 1)`;
}
