import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { notFound, RosterError } from '../../core/errors.ts';
import { ksuid } from '../../core/ids.ts';
import type { Customer } from '../../core/model.ts';
import { getCustomerIn, lockCustomer, updateCustomerIn } from '../../store/customers-repo.ts';
import { inAccount, type Db, type Queryable } from '../../store/db.ts';
import { OPERATOR_STEPS, stepPatch, type Step } from '../../onboarding/lifecycle.ts';
import { issueToken, onboardingUrls, withToken } from '../../onboarding/links.ts';
import * as S from './schemas.ts';
import { dialectViews } from '../record-views.ts';
import { customerTags } from '../../store/tags-repo.ts';
import { listTokens } from '../../store/tokens-repo.ts';

// A customer as each dialect shows it, and the operator's side of onboarding: move an application along its lifecycle (review,
// request information, approve, decline), and issue a customer a new link to the hosted page.

const problems = Object.fromEntries([400, 401, 403, 404].map((s) => [s, Type.Ref('Problem')]));
const APPLICATION_DAYS = 30;

const Transition = Type.Object(
  {
    to: Type.Unsafe<Exclude<Step, 'submitted'>>({ type: 'string', enum: Object.keys(OPERATOR_STEPS) }),
    note: Type.Optional(Type.String({ maxLength: 1000, description: 'With request_for_information: what the customer is asked for, shown on their page' })),
  },
  { additionalProperties: false },
);

const Link = Type.Object({
  application_id: Type.String(),
  url: Type.String({ description: 'The application page with its token: shown this once' }),
  identity_url: Type.String(),
  expires_at: Type.String({ format: 'date-time' }),
});

async function locked(tx: Queryable, accountId: string, id: string): Promise<Customer> {
  const c = await lockCustomer(tx, accountId, { by: 'id', value: id });
  if (!c) throw notFound('Customer');
  return c;
}

const Views = Type.Object({
  customer_id: Type.String(),
  views: Type.Array(Type.Object({ dialect: Type.String(), request: Type.String(), status: Type.Integer(), body: Type.Unknown(), note: Type.Optional(Type.String()) })),
});

export function customerExtrasRoutes(app: FastifyInstance, db: Db) {
  const f = app.withTypeProvider<TypeBoxTypeProvider>();

  f.get(
    '/customers/:id/dialects',
    {
      schema: { tags: ['customers'], summary: 'The customer as each vendor dialect renders it to its own clients', params: S.IdParam, response: { 200: Views, ...problems } },
    },
    async (req) => {
      const accountId = req.principal.accountId;
      const c = await inAccount(db, accountId, (tx) => getCustomerIn(tx, accountId, { by: 'id', value: req.params.id }, true));
      if (!c) throw notFound('Customer');
      return { customer_id: c.id, views: dialectViews(c, accountId) };
    },
  );

  // A customer's tags (names, not only the ids its record carries) and lookup tokens.
  const Loose = Type.Object({}, { additionalProperties: true });
  const listOf = Type.Object({ object: Type.Literal('list'), data: Type.Array(Loose), has_more: Type.Boolean() });
  f.get('/customers/:id/tags', { schema: { tags: ['customers'], summary: "A customer's tags", params: S.IdParam, response: { 200: listOf, ...problems } } }, async (req) => {
    const accountId = req.principal.accountId;
    const tags = await inAccount(db, accountId, async (tx) => {
      if (!(await getCustomerIn(tx, accountId, { by: 'id', value: req.params.id }, true))) throw notFound('Customer');
      return customerTags(tx, accountId, req.params.id);
    });
    return { object: 'list' as const, data: tags as unknown as Record<string, unknown>[], has_more: false };
  });
  f.get(
    '/customers/:id/tokens',
    {
      schema: { tags: ['customers'], summary: "A customer's live tokens, oldest first (up to 100)", params: S.IdParam, response: { 200: listOf, ...problems } },
    },
    async (req) => {
      const accountId = req.principal.accountId;
      const r = await inAccount(db, accountId, async (tx) => {
        if (!(await getCustomerIn(tx, accountId, { by: 'id', value: req.params.id }, true))) throw notFound('Customer');
        return listTokens(tx, accountId, req.params.id, { limit: 100 });
      });
      return { object: 'list' as const, data: r.tokens as unknown as Record<string, unknown>[], has_more: r.hasMore };
    },
  );

  f.post(
    '/customers/:id/application/transitions',
    {
      schema: { tags: ['onboarding'], summary: "Move a customer's application to another status", params: S.IdParam, body: Transition, response: { 200: Type.Ref('Customer'), ...problems } },
    },
    async (req) => {
      const accountId = req.principal.accountId;
      return inAccount(db, accountId, async (tx) => {
        const c = await locked(tx, accountId, req.params.id);
        return updateCustomerIn(tx, accountId, { by: 'id', value: c.id }, stepPatch(c, req.body.to as Step, { note: req.body.note }), { actor: req.principal.actor });
      });
    },
  );

  f.post(
    '/customers/:id/application/link',
    {
      schema: {
        tags: ['onboarding'],
        summary: 'Issue a new link to the hosted onboarding page (starting an application if the customer has none); earlier links stop working',
        params: S.IdParam,
        response: { 201: Link, ...problems },
      },
    },
    async (req, reply) => {
      const accountId = req.principal.accountId;
      const origin = `${req.protocol}://${req.host}`;
      const link = await inAccount(db, accountId, async (tx) => {
        let c = await locked(tx, accountId, req.params.id);
        if (c.application?.decision) throw new RosterError('invalid_operation', `The application is already ${c.application.status}`, [{ field: 'application', message: 'already decided' }]);
        if (!c.application) {
          const now = new Date();
          const id = ksuid(now);
          const expires = new Date(now.getTime() + APPLICATION_DAYS * 86_400_000).toISOString();
          c = await updateCustomerIn(
            tx,
            accountId,
            { by: 'id', value: c.id },
            { application: { id, status: 'pending', decision: null, url: onboardingUrls(origin, id).application, expires_at: expires } },
            { actor: req.principal.actor },
          );
        }
        const app = c.application!;
        const expiresAt = app.expires_at && Date.parse(app.expires_at) > Date.now() ? app.expires_at : new Date(Date.now() + APPLICATION_DAYS * 86_400_000).toISOString();
        const token = await issueToken(tx, accountId, app.id, c.id, expiresAt);
        const urls = onboardingUrls(origin, app.id);
        return { application_id: app.id, url: withToken(urls.application, token), identity_url: withToken(urls.identity, token), expires_at: new Date(expiresAt).toISOString() };
      });
      return reply.status(201).send(link);
    },
  );
}
