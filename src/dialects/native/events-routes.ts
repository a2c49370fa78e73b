import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { notFound, RosterError } from '../../core/errors.ts';
import { expandEventType } from '../../core/event-types.ts';
import type { Db } from '../../store/db.ts';
import { eventSeq, getEvent, listEvents } from '../../store/events-repo.ts';

// The event feed: every change to the account's records, newest first (the outbox, migrations
// 140–156). Records are built by Postgres and passed through as text.

const problems = Object.fromEntries([400, 401, 403, 404].map((s) => [s, Type.Ref('Problem')]));
const EventIdText = Type.String({ pattern: '^evt_[1-9][0-9]{0,17}$' });

export const Event = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('event'),
    type: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
    account: Type.String(),
    data: Type.Object({
      object: Type.Object({}, { additionalProperties: true }),
      previous_attributes: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], { description: 'For updates: the attributes that changed, with their values before' }),
    }),
  },
  { $id: 'Event' },
);

const EventListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    starting_after: Type.Optional({ ...EventIdText, description: 'Events older than this one' }),
    ending_before: Type.Optional({ ...EventIdText, description: 'Events newer than this one' }),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'Comma-separated types; `customer.*` for every customer type' })),
  },
  { additionalProperties: false },
);

function typesOf(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  const out = new Set<string>();
  for (const t of raw.split(',').map((s) => s.trim())) {
    const types = expandEventType(t);
    if (!types) throw new RosterError('invalid_request', `type: unknown event type ${JSON.stringify(t)}`, [{ field: 'type', message: 'unknown event type', code: 'unknown_event_type' }]);
    if (types[0] === '*') return [];
    for (const x of types) out.add(x);
  }
  return [...out];
}

export function eventsRoutes(app: FastifyInstance, db: Db) {
  const f = app.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(Event);
  f.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'List events, newest first',
        description:
          "Every change to a customer, team user, tag, token, product account or tag on a customer, kept for the retention period (30 days by default). An event numbered before another can commit after it (its write ran longer); webhooks deliver each record's events in order.",
        querystring: EventListQuery,
        response: { 200: Type.Object({ object: Type.Literal('list'), data: Type.Array(Type.Ref('Event')), has_more: Type.Boolean() }), ...problems },
      },
    },
    async (req, reply) => {
      const q = req.query;
      if (q.starting_after && q.ending_before)
        throw new RosterError('invalid_request', 'starting_after and ending_before cannot be combined', [{ field: 'ending_before', message: 'cannot be combined with starting_after' }]);
      const page = await listEvents(db.reader(req.principal.accountId), req.principal.accountId, {
        limit: q.limit,
        types: typesOf(q.type),
        after: q.starting_after && eventSeq(q.starting_after),
        before: q.ending_before && eventSeq(q.ending_before),
      });
      return reply.type('application/json; charset=utf-8').send(`{"object":"list","data":${page.json},"has_more":${page.hasMore}}` as never);
    },
  );

  f.get(
    '/events/:id',
    {
      schema: { tags: ['events'], summary: 'Get an event', params: Type.Object({ id: EventIdText }), response: { 200: Type.Ref('Event'), ...problems } },
    },
    async (req, reply) => {
      const json = await getEvent(db.reader(req.principal.accountId), req.principal.accountId, eventSeq(req.params.id)!);
      if (!json) throw notFound('Event');
      return reply.type('application/json; charset=utf-8').send(json as never);
    },
  );
}
