import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { inAccount, type Db } from '../../store/db.ts';
import { createToken, deleteToken, listTokens } from '../../store/tokens-repo.ts';
import { customerIn } from './customer-lookup.ts';
import { renderToken } from './render.ts';
import * as S from './schemas.ts';

// Tokens of a customer (type + value), found again with the list's token_value / token_type.

const TOKENS = '/accounts/:aid/customers/users/:customer_id/tokens';

export function tokenRoutes(app: FastifyInstance, db: Db) {
  const f = app.withTypeProvider<TypeBoxTypeProvider>();

  // Paged like the customer collection: paging-token header (the last token_id), total-count on request.
  f.get(TOKENS, { config: { access: 'read' }, schema: { tags: ['dintero'], summary: 'Tokens of a customer', params: S.CustomerParams, querystring: S.TokenListQuery } }, async (req, reply) => {
    const { aid, customer_id } = req.params;
    const q = req.query;
    const r = await inAccount(db, aid, async (tx) => {
      const c = await customerIn(tx, aid, customer_id);
      return listTokens(tx, aid, c.id, { type: q.type, includeDeleted: q.include_deleted, limit: q.limit, after: q.starting_after, count: q.total });
    });
    const last = r.tokens.at(-1);
    if (r.hasMore && last) reply.header('paging-token', last.token_id);
    if (r.total !== undefined) reply.header('total-count', String(r.total));
    reply.header('access-control-expose-headers', 'paging-token, total-count');
    return r.tokens.map(renderToken);
  });

  // delete_token_events is accepted: Roster records no token events.
  f.post(
    TOKENS,
    { config: { access: 'write' }, schema: { tags: ['dintero'], summary: 'Add a token to a customer', params: S.CustomerParams, querystring: S.TokenCreateQuery, body: S.TokenCreate } },
    async (req, reply) => {
      const { aid, customer_id } = req.params;
      const token = await inAccount(db, aid, async (tx) => {
        // Held until the token is in: a delete of the customer waits, then removes it with the rest.
        const c = await customerIn(tx, aid, customer_id, 'share');
        return createToken(tx, aid, c.id, { token_id: req.body.token_id, type: req.body.type, value: req.body.value, metadata: req.body.metadata }, { actor: req.dintero.actor });
      });
      return reply.status(201).send(renderToken(token));
    },
  );

  f.delete(`${TOKENS}/:tid`, { config: { access: 'write' }, schema: { tags: ['dintero'], summary: 'Delete a token', params: S.TokenParams } }, async (req) => {
    const { aid, customer_id, tid } = req.params;
    const token = await inAccount(db, aid, async (tx) => deleteToken(tx, aid, (await customerIn(tx, aid, customer_id, 'share')).id, tid, { actor: req.dintero.actor }));
    return renderToken(token);
  });
}
