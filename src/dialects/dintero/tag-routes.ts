import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { inAccount, type Db } from '../../store/db.ts';
import { updateCustomerIn } from '../../store/customers-repo.ts';
import { createTag, customerTags, deleteTag, listTags } from '../../store/tags-repo.ts';
import { customerIn } from './customer-lookup.ts';
import { renderTag } from './render.ts';
import * as S from './schemas.ts';

// Tags (groups): the account's tags, and the tags each customer carries (filter: tag_id).

export function tagRoutes(app: FastifyInstance, db: Db) {
  const f = app.withTypeProvider<TypeBoxTypeProvider>();
  const read = { access: 'read' };
  const write = { access: 'write' };

  f.get('/accounts/:aid/customers/tags', { config: read, schema: { tags: ['dintero'], summary: 'All customer tags', params: S.AidParams } }, async (req) =>
    (await inAccount(db, req.params.aid, (tx) => listTags(tx, req.params.aid))).map(renderTag),
  );

  f.post('/accounts/:aid/customers/tags', { config: write, schema: { tags: ['dintero'], summary: 'Create a tag', params: S.AidParams, body: S.TagCreate } }, async (req) =>
    renderTag(await inAccount(db, req.params.aid, (tx) => createTag(tx, req.params.aid, { tag: req.body.tag, metadata: req.body.metadata }, { actor: req.dintero.actor }))),
  );

  f.delete('/accounts/:aid/customers/tags/:tag_id', { config: write, schema: { tags: ['dintero'], summary: 'Delete a tag (and remove it from customers)', params: S.TagParams } }, async (req) =>
    renderTag(await inAccount(db, req.params.aid, (tx) => deleteTag(tx, req.params.aid, req.params.tag_id, { actor: req.dintero.actor }))),
  );

  f.get('/accounts/:aid/customers/users/:customer_id/tags', { config: read, schema: { tags: ['dintero'], summary: 'Tags of a customer', params: S.CustomerParams } }, async (req) => {
    const { aid, customer_id } = req.params;
    return (await inAccount(db, aid, async (tx) => customerTags(tx, aid, (await customerIn(tx, aid, customer_id)).id))).map(renderTag);
  });

  // The body is the complete set of tag ids the customer should carry.
  f.put(
    '/accounts/:aid/customers/users/:customer_id/tags',
    { config: write, schema: { tags: ['dintero'], summary: 'Set the tags of a customer', params: S.CustomerParams, body: S.TagIds } },
    async (req) => {
      const { aid, customer_id } = req.params;
      const tags = await inAccount(db, aid, async (tx) => {
        const c = await customerIn(tx, aid, customer_id, 'update');
        await updateCustomerIn(tx, aid, { by: 'id', value: c.id }, { tags: [...new Set(req.body.map((t) => t.toLowerCase()))] }, { actor: req.dintero.actor });
        return customerTags(tx, aid, c.id);
      });
      return tags.map(renderTag);
    },
  );
}
