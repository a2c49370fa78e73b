import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { encodeCursor, decodeCursor } from '../../core/cursor.ts';
import { and, eq, listQuery, type Anchor, type ListQuery, type SortTerm } from '../../core/list-query.ts';
import { invalid } from '../../core/errors.ts';
import { runList } from '../../store/list.ts';
import { createCustomer, deleteCustomerIn, updateCustomerIn } from '../../store/customers-repo.ts';
import { inAccount, type Db } from '../../store/db.ts';
import { isUuid } from '../../store/tags-repo.ts';
import { customerIn } from './customer-lookup.ts';
import { createInput, updateInput } from './customer-input.ts';
import { customerListQuery } from './list-params.ts';
import { syncPage } from './sync-page.ts';
import { CUSTOMER_FIELDS, renderCustomer, renderDeleted } from './render.ts';
import * as S from './schemas.ts';
import type { Customer } from '../../core/model.ts';

// /accounts/{aid}/customers/users: the customer collection and single customers.

const USERS = '/accounts/:aid/customers/users';

/**
 * Where a page resumes. starting_after takes the paging-token this API returned, or a
 * customer's `id` (its uuid, Dintero's "object ID"), which resumes right after that customer.
 */
function anchorFor(sort: readonly SortTerm[], startingAfter: string): Anchor {
  // A customer's uuid is resolved inside the page's own statement; a missing one is a 400.
  return isUuid(startingAfter) ? { uuid: startingAfter } : decodeCursor(startingAfter, sort);
}

function exposeHeaders(reply: FastifyReply, names: string[]) {
  reply.header('access-control-expose-headers', names.join(', '));
}

export function customerRoutes(app: FastifyInstance, db: Db) {
  const f = app.withTypeProvider<TypeBoxTypeProvider>();
  const read = { access: 'read' };
  const write = { access: 'write' };

  f.get(USERS, { config: read, exposeHeadRoute: false, schema: { tags: ['dintero'], summary: 'Customer collection', params: S.AidParams, querystring: S.CustomerListQuery } }, async (req, reply) => {
    const p = req.query;
    const aid = req.params.aid;
    const base = customerListQuery(p, { kind: 'keyset', limit: p.limit });
    const q: ListQuery = p.starting_after !== undefined ? listQuery({ ...base, page: { kind: 'keyset', limit: p.limit, after: anchorFor(base.sort, p.starting_after) } }) : base;
    if (p.since_datetime !== undefined) {
      // since_datetime pages by its own timestamp, so no paging token; total-count as asked.
      const { records, total } = await syncPage(db, aid, { ...q, fields: CUSTOMER_FIELDS }, p.limit);
      if (total !== undefined) reply.header('total-count', String(total));
      exposeHeaders(reply, ['paging-token', 'total-count']);
      return records.map(renderCustomer);
    }
    const r = await runList<Customer>(db, aid, { ...q, fields: CUSTOMER_FIELDS });
    if (r.hasMoreAfter && r.lastValues && r.lastId) reply.header('paging-token', encodeCursor(q.sort, r.lastValues, r.lastId));
    if (r.total !== undefined) reply.header('total-count', String(r.total));
    exposeHeaders(reply, ['paging-token', 'total-count']);
    return r.records.map(renderCustomer);
  });

  // Does a customer with this email and/or phone number exist? Always enabled: Roster has no
  // customer settings to switch it off. Any type matches.
  f.head(USERS, { config: read, schema: { tags: ['dintero'], summary: 'Check whether customers match', params: S.AidParams, querystring: S.ExistsQuery } }, async (req, reply) => {
    const { email, phone_number } = req.query;
    if (email === undefined && phone_number === undefined) throw invalid('email', 'email or phone_number is required');
    const filter = and(email !== undefined ? eq('email', email) : undefined, phone_number !== undefined ? eq('phone_number', phone_number) : undefined);
    const r = await runList<Customer>(db, req.params.aid, listQuery({ resource: 'customers', filter, page: { kind: 'keyset', limit: 1 } }));
    return reply.status(r.records.length ? 200 : 404).send();
  });

  f.post(USERS, { config: write, schema: { tags: ['dintero'], summary: 'Create a customer', params: S.AidParams, body: S.CustomerCreate } }, async (req) =>
    renderCustomer(await createCustomer(db, req.params.aid, createInput(req.body), { actor: req.dintero.actor })),
  );

  f.get(`${USERS}/:customer_id`, { config: read, schema: { tags: ['dintero'], summary: 'Customer details', params: S.CustomerParams } }, async (req) =>
    renderCustomer(await customerIn(db.reader(req.params.aid), req.params.aid, req.params.customer_id)),
  );

  f.put(`${USERS}/:customer_id`, { config: write, schema: { tags: ['dintero'], summary: 'Update a customer (partial)', params: S.CustomerParams, body: S.CustomerUpdate } }, async (req) => {
    const { aid, customer_id } = req.params;
    const updated = await inAccount(db, aid, async (tx) => {
      // Locked as it is read: the metadata merged into it is the latest. The name is derived
      // from the names sent, so the tree below it is locked with it when they are.
      const body = req.body;
      const renames = body.first_name !== undefined || body.last_name !== undefined || body.company !== undefined || body.type !== undefined;
      const current = await customerIn(tx, aid, customer_id, renames ? 'tree' : 'update');
      return updateCustomerIn(tx, aid, { by: 'id', value: current.id }, updateInput(body, current), { actor: req.dintero.actor });
    });
    return renderCustomer(updated);
  });

  // delete_tokens is accepted; a deleted customer's tokens are always removed with it. Dintero
  // has no hierarchy, so a client of it could not act on a refusal: customers below the deleted
  // one (placed there through another API) are detached and become top-level customers.
  f.delete(`${USERS}/:customer_id`, { config: write, schema: { tags: ['dintero'], summary: 'Delete a customer', params: S.CustomerParams, querystring: S.DeleteQuery } }, async (req) => {
    const { aid, customer_id } = req.params;
    const deleted = await inAccount(db, aid, async (tx) => {
      const current = await customerIn(tx, aid, customer_id, 'tree');
      return deleteCustomerIn(tx, aid, { by: 'id', value: current.id }, { actor: req.dintero.actor, children: 'detach' });
    });
    return renderDeleted(deleted);
  });

  f.post(
    `${USERS}/:customer_id/change_customer_id`,
    {
      config: { access: 'changeCustomerId' },
      schema: { tags: ['dintero'], summary: 'Change the customer_id of a customer', params: S.CustomerParams, body: S.ChangeCustomerId },
    },
    async (req) => {
      const { aid, customer_id } = req.params;
      const updated = await inAccount(db, aid, async (tx) => {
        const current = await customerIn(tx, aid, customer_id, 'update');
        const now = new Date();
        const old = current.external_id ?? current.id;
        // The documented audit trail: one metadata entry per change.
        const hash = createHash('sha256').update(`${old}\n${req.body.customer_id}`).digest('hex').slice(0, 8);
        const trail = { created_at: now.toISOString(), created_by: req.dintero.actor, old, new: req.body.customer_id };
        const metadata = { ...current.metadata, [`dintero_change_customer_id_${now.getTime()}.${hash}`]: trail };
        return updateCustomerIn(tx, aid, { by: 'id', value: current.id }, { external_id: req.body.customer_id, metadata }, { actor: req.dintero.actor, now });
      });
      return renderCustomer(updated);
    },
  );
}
