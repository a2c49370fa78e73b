import type { Resource } from '../../core/list-query.ts';
import { RESOURCES } from '../compiler/resources.ts';

// The functions that list the counters a record adds to, made from the counted fields of each
// resource in resources.ts, the one list of them: `npm run golden` writes them into functions/,
// and a test fails while a file differs from what this makes. The compiler reads a count from
// the counters only for fields in the same list, so the two cannot disagree.

/** Each counting function's file name (in functions/) and text. */
export function countKeysFiles(): { file: string; text: string }[] {
  return (['customers', 'users'] as const).map((resource) => {
    const fn = `roster_${resource.slice(0, -1)}_count_keys`;
    const { counts } = RESOURCES[resource];
    return { file: `${fn}.sql`, text: header(resource) + (counts.pairs ? withPairs(fn, resource) : single(fn, resource)) };
  });
}

const header = (resource: Resource) =>
  `-- Made by \`npm run golden\` from the counted fields of ${resource} in src/store/compiler/resources.ts:\n` +
  '-- change them there. Changed counted fields need a migration that counts every account again\n' +
  '-- (SELECT roster_recount(account_id) FROM account_modes), as 096 does.\n--\n';

/** The row parameter's name, and each counted field's value as the counters keep it: text. */
function values(resource: Resource): { alias: string; fields: string[] } {
  const alias = resource[0];
  const defs: Partial<Record<string, { type: string }>> = RESOURCES[resource].fields;
  const fields = RESOURCES[resource].counts.fields.map((f) => `('${f}', ${alias}.${f}${defs[f]?.type === 'text' ? '' : '::text'})`);
  return { alias, fields };
}

function withPairs(fn: string, resource: Resource): string {
  const { alias, fields } = values(resource);
  const rows = [...fields].sort();
  // The combination of every counted field, in the order of their names, a missing value as chr(30).
  const every = rows.map((r) => `coalesce(${r.slice(r.indexOf(', ') + 2, -1)}, chr(30))`);
  const combination = [];
  for (let i = 0; i < every.length; i += 3) combination.push(every.slice(i, i + 3).join(' || chr(31) || '));
  // Two to a line; one left over joins the line before.
  const lines: string[][] = [];
  for (let i = 0; i < rows.length; i += 2) lines.push(rows.slice(i, i + 2));
  if (lines.length > 1 && lines.at(-1)!.length === 1) lines.at(-2)!.push(...lines.pop()!);
  return `-- The counters a record adds to: the whole account (dim ''), each counted field that has a value
-- (an equality filter never matches NULL), and each pair of those: dim 'kyb_status,type' (the two
-- names in "C" order, as the compiler sorts them), value 'active' || chr(31) || 'business' (a
-- separator no counted value holds). Booleans are kept as their text form, which is what the
-- compiler compares against after casting a filter value to boolean. And one counter for the
-- combination of all of them (dim '*': every counted field's value in the order of their names,
-- chr(31) between, chr(30) for none), which answers a count filtered by any three or more of
-- them: an account has one such counter per combination its records hold, however many records.
CREATE OR REPLACE FUNCTION ${fn}(${alias} ${resource}) RETURNS TABLE (dim text, value text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  WITH k (dim, value) AS (
    SELECT * FROM (VALUES ${lines.map((l) => l.join(', ')).join(',\n                          ')}) AS v (dim, value)
     WHERE value IS NOT NULL)
  SELECT '', ''
  UNION ALL
  SELECT dim, value FROM k
  UNION ALL
  SELECT a.dim || ',' || b.dim, a.value || chr(31) || b.value FROM k a, k b WHERE a.dim COLLATE "C" < b.dim COLLATE "C"
  UNION ALL
  SELECT '*', ${combination.join('\n           || chr(31) || ')}
$$;
`;
}

function single(fn: string, resource: Resource): string {
  const { alias, fields } = values(resource);
  return `-- The counters a record adds to: the whole account (dim ''), and each counted field that has a
-- value (an equality filter never matches NULL). No pairs.
CREATE OR REPLACE FUNCTION ${fn}(${alias} ${resource}) RETURNS TABLE (dim text, value text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT k.dim, k.value FROM (VALUES ${["('', '')", ...fields].join(', ')}) AS k (dim, value) WHERE k.value IS NOT NULL
$$;
`;
}
