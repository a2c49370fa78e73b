import { Type, type Static } from '@sinclair/typebox';
import { and, listQuery, type ListQueryOf, type Resource } from '../../core/list-query.ts';
import { CustomerListQuery, customerListQuery, pageParams, SEARCH_FIELDS, UserListQuery, userListQuery } from './list-params.ts';
import { searchMeaning } from './search-query.ts';
import { MAX_QUERY_LENGTH } from './search-language.ts';

// The parameters of GET /v1/customers/search and /v1/users/search: `query` in the search
// language, and the page, sort and count parameters of the list routes, which mean what they
// mean there. The result is one ListQuery, run by the same list path as GET /v1/customers.

const { limit, starting_after, ending_before, cursor, count, include_deleted } = pageParams;

const query = Type.String({
  minLength: 1,
  maxLength: MAX_QUERY_LENGTH,
  description: "The search, e.g. `email:'ops@acme.io' OR (country:DK -kyb_status:frozen)`. Grammar: see the route description.",
});

export const CustomerSearchQuery = Type.Object(
  { query, limit, starting_after, ending_before, cursor, count, include_deleted, sort: CustomerListQuery.properties.sort },
  { additionalProperties: false },
);
export const UserSearchQuery = Type.Object({ query, limit, starting_after, ending_before, cursor, count, include_deleted, sort: UserListQuery.properties.sort }, { additionalProperties: false });

/** The list a search asks for: its page and sort read as the list route reads them, its filter and full-text term from `query`. */
function withQuery<R extends Resource>(base: ListQueryOf<R>, text: string): ListQueryOf<R> {
  const meaning = searchMeaning(base.resource, text);
  const search = meaning.text !== undefined ? { term: meaning.text, fields: SEARCH_FIELDS[base.resource], mode: 'substring' as const } : undefined;
  return listQuery<R>({ ...base, filter: and(base.filter, meaning.filter), search });
}

export const customerSearchQuery = ({ query: text, ...page }: Static<typeof CustomerSearchQuery>) => withQuery(customerListQuery(page), text);
export const userSearchQuery = ({ query: text, ...page }: Static<typeof UserSearchQuery>) => withQuery(userListQuery(page), text);

/** The search routes' OpenAPI description: the grammar, which a parameter's schema cannot say. */
export const searchDescription = (resource: Resource): string =>
  [
    `Finds ${resource} with a query in Roster's search language, read-after-write (the same tables as the list, no index lag). The response is a list page, as on GET /v1/${resource}, with the same limit, cursors, sort and count.`,
    'Terms: `field:value` (equals; `field:null` has no value), `field~value` (holds the text, case-insensitively), `field>value`, `>=`, `<`, `<=` (numbers and instants; a date alone is midnight UTC), ' +
      (resource === 'customers' ? "`metadata['key']:value` and `attributes['key']:value` (a JSON string, or the number or boolean it spells). " : '') +
      'Each field takes the operators its `field[operator]` parameter on the list takes.',
    "Values are bare (`country:DK`) or quoted with ' or \" (`name:'Acme, Inc.'`; `\\'`, `\\\"`, `\\\\` escape). Terms side by side are joined by AND; `AND` and `OR` (capitals; AND binds tighter), parentheses, and `-` before a term or `(` negates it. " +
      "One word or phrase without a field (`smith`, `'john smith'`) is the `search` of the list, the indexed substring search over the same fields, and may appear once, outside OR and `-`.",
    `Limits: ${MAX_QUERY_LENGTH} characters, 50 terms, parentheses and negations nested 8 deep. A mistake is a 400 \`invalid_request\` naming \`query\` and the character where it is: "query: at character 7: expected a value after \\":\\", found the end".`,
  ].join('\n\n');
