import type { Queryable } from '../../src/store/db.ts';

// Query plans as trees (EXPLAIN in JSON), for the plan tests' questions about their shape.

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Sort Key'?: string[];
  Plans?: PlanNode[];
  [key: string]: unknown;
}

/** The plan of a statement, as a tree. */
export async function planTree(q: Queryable, text: string, params: unknown[]): Promise<PlanNode> {
  const [row] = await q.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${text}`, params);
  const doc = typeof row['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row['QUERY PLAN'];
  return (doc as { Plan: PlanNode }[])[0].Plan;
}

/** Every node of a plan, depth first. */
export const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/**
 * Sort nodes that sort rows read from `table` before a Limit has taken the page from them: a
 * sort of every matching record (of the account) to return a few. A sort above a Limit (of the
 * page's own rows) is not one.
 */
export function sortsBeforeLimit(plan: PlanNode, table: string): PlanNode[] {
  const readsUnlimited = (n: PlanNode): boolean => n['Node Type'] !== 'Limit' && (n['Relation Name'] === table || (n.Plans ?? []).some(readsUnlimited));
  return nodes(plan).filter((n) => n['Node Type'] === 'Sort' && (n.Plans ?? []).some(readsUnlimited));
}
