import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { inAccount, type Db } from '../../store/db.ts';
import { createEndpoint, deleteEndpoint, getEndpoint, listDeliveries, listEndpoints, retryDelivery, updateEndpoint } from '../../store/webhooks-repo.ts';

// Webhook endpoints (admin scope): where an account's events are posted, signed with the
// endpoint's secret (shown once, when it is created), and the log of their deliveries.

const problems = Object.fromEntries([400, 401, 403, 404, 409].map((s) => [s, Type.Ref('Problem')]));
const admin = { need: 'admin' };
const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);

const Endpoint = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('webhook_endpoint'),
    url: Type.String(),
    events: Type.Array(Type.String(), { description: 'Event types, expanded from any `kind.*` given; `*` for every type' }),
    description: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('enabled'), Type.Literal('disabled')]),
    disabled_reason: Type.Union([Type.String(), Type.Null()]),
    created_at: Time,
    updated_at: Time,
  },
  { $id: 'WebhookEndpoint' },
);
const CreatedEndpoint = Type.Object({ ...Endpoint.properties, secret: Type.String({ description: 'Signs every delivery (Roster-Signature): shown this once' }) });

const Url = Type.String({ minLength: 1, maxLength: 2048, description: 'http or https' });
const Events = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 100, description: 'Event types, `customer.*` for every customer type, or `*`' });
const Description = Type.Union([Type.String({ maxLength: 500 }), Type.Null()]);
const EndpointCreate = Type.Object({ url: Url, events: Events, description: Type.Optional(Description) }, { additionalProperties: false });
const EndpointUpdate = Type.Object(
  {
    url: Type.Optional(Url),
    events: Type.Optional(Events),
    description: Type.Optional(Description),
    status: Type.Optional(Type.Union([Type.Literal('enabled'), Type.Literal('disabled')], { description: 'Disable to hold deliveries; enable to send them again' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const EndpointId = Type.Object({ id: Type.String({ pattern: '^we_[0-9A-Za-z]{27}$' }) });
const DeliveryId = Type.Object({ id: EndpointId.properties.id, event_id: Type.String({ pattern: '^evt_[1-9][0-9]{0,17}$' }) });

const Delivery = Type.Object({
  object: Type.Literal('webhook_delivery'),
  endpoint_id: Type.String(),
  event_id: Type.String(),
  event_type: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  next_attempt_at: NullableTime,
  last_attempt_at: NullableTime,
  last_status: Type.Union([Type.Integer(), Type.Null()]),
  last_error: Type.Union([Type.String(), Type.Null()]),
  created_at: Time,
});
const DeliveryQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    starting_after: Type.Optional(Type.String({ pattern: '^evt_[1-9][0-9]{0,17}$' })),
    status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')])),
  },
  { additionalProperties: false },
);

export function webhookRoutes(app: FastifyInstance, db: Db, poke: () => void) {
  const f = app.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(Endpoint);
  const tags = ['webhooks'];

  f.post('/webhook_endpoints', { config: admin, schema: { tags, summary: 'Create a webhook endpoint', body: EndpointCreate, response: { 201: CreatedEndpoint, ...problems } } }, async (req, reply) => {
    const accountId = req.principal.accountId;
    const created = await inAccount(db, accountId, (tx) => createEndpoint(tx, accountId, req.body));
    return reply.status(201).send(created);
  });
  f.get(
    '/webhook_endpoints',
    {
      config: admin,
      schema: {
        tags,
        summary: 'List webhook endpoints',
        response: { 200: Type.Object({ object: Type.Literal('list'), data: Type.Array(Type.Ref('WebhookEndpoint')), has_more: Type.Boolean() }), ...problems },
      },
    },
    async (req) => {
      const accountId = req.principal.accountId;
      return { object: 'list' as const, data: await inAccount(db, accountId, (tx) => listEndpoints(tx, accountId)), has_more: false };
    },
  );
  f.get(
    '/webhook_endpoints/:id',
    { config: admin, schema: { tags, summary: 'Get a webhook endpoint', params: EndpointId, response: { 200: Type.Ref('WebhookEndpoint'), ...problems } } },
    async (req) => {
      const accountId = req.principal.accountId;
      return inAccount(db, accountId, (tx) => getEndpoint(tx, accountId, req.params.id));
    },
  );
  f.patch(
    '/webhook_endpoints/:id',
    { config: admin, schema: { tags, summary: 'Update, disable or enable a webhook endpoint', params: EndpointId, body: EndpointUpdate, response: { 200: Type.Ref('WebhookEndpoint'), ...problems } } },
    async (req) => {
      const accountId = req.principal.accountId;
      const updated = await inAccount(db, accountId, (tx) => updateEndpoint(tx, accountId, req.params.id, req.body));
      poke();
      return updated;
    },
  );
  f.delete(
    '/webhook_endpoints/:id',
    { config: admin, schema: { tags, summary: 'Delete a webhook endpoint and its delivery log', params: EndpointId, response: { 200: Type.Ref('WebhookEndpoint'), ...problems } } },
    async (req) => {
      const accountId = req.principal.accountId;
      return inAccount(db, accountId, (tx) => deleteEndpoint(tx, accountId, req.params.id));
    },
  );
  f.get(
    '/webhook_endpoints/:id/deliveries',
    {
      config: admin,
      schema: {
        tags,
        summary: "An endpoint's delivery log, newest event first",
        params: EndpointId,
        querystring: DeliveryQuery,
        response: { 200: Type.Object({ object: Type.Literal('list'), data: Type.Array(Delivery), has_more: Type.Boolean() }), ...problems },
      },
    },
    async (req) => {
      const accountId = req.principal.accountId;
      const r = await inAccount(db, accountId, (tx) => listDeliveries(tx, accountId, req.params.id, { limit: req.query.limit, after: req.query.starting_after, status: req.query.status }));
      return { object: 'list' as const, ...r };
    },
  );
  f.post(
    '/webhook_endpoints/:id/deliveries/:event_id/retry',
    {
      config: admin,
      schema: { tags, summary: 'Send a failed (or waiting) delivery again now', params: DeliveryId, response: { 200: Delivery, ...problems } },
    },
    async (req) => {
      const accountId = req.principal.accountId;
      const d = await inAccount(db, accountId, (tx) => retryDelivery(tx, accountId, req.params.id, req.params.event_id));
      poke();
      return d;
    },
  );
}
