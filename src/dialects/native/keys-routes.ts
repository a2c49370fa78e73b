import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Scope } from '../../core/model.ts';
import type { KeyResolver } from '../../http/auth.ts';
import type { Db } from '../../store/db.ts';
import { createKey, listKeys, revokeKey, rotateKey } from '../../store/keys-repo.ts';

// /v1/me and the admin API for the account's own API keys. A key's secret appears once, in the
// answer that creates it; lists show its prefix, scopes, expiry and last use.

const problems = Object.fromEntries([400, 401, 403, 404].map((s) => [s, Type.Ref('Problem')]));
const Time = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
const ScopeEnum = Type.Unsafe<Scope>({ type: 'string', enum: ['read', 'write', 'admin'] });

const ApiKey = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    account_id: Type.String(),
    name: Type.String(),
    prefix: Type.String({ description: 'The first characters of the key, to recognise it' }),
    scopes: Type.Array(Type.String()),
    created_at: Type.String({ format: 'date-time' }),
    expires_at: Time,
    last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Updated at most once a minute' }),
    revoked_at: Time,
  },
  { $id: 'ApiKey' },
);

const CreatedKey = Type.Object({ ...ApiKey.properties, api_key: Type.String({ description: 'The secret: shown this once, stored only as a hash' }) });

const KeyCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(ScopeEnum, { minItems: 1, uniqueItems: true }),
    expires_at: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  },
  { additionalProperties: false },
);

const KeyId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const admin = { need: 'admin' };

export function keysRoutes(app: FastifyInstance, db: Db, keys: KeyResolver) {
  const f = app.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(ApiKey);

  f.get(
    '/me',
    {
      schema: {
        tags: ['keys'],
        summary: 'The account and key this request is authenticated as',
        response: { 200: Type.Object({ account_id: Type.String(), mode: Type.String(), key_id: Type.String(), scopes: Type.Array(Type.String()), expires_at: Time }), ...problems },
      },
    },
    async (req) => {
      const p = req.principal;
      return { account_id: p.accountId, mode: p.accountId.startsWith('T') ? 'test' : 'live', key_id: p.actor, scopes: p.scopes, expires_at: p.expiresAt ? new Date(p.expiresAt).toISOString() : null };
    },
  );

  f.get(
    '/keys',
    {
      config: admin,
      schema: { tags: ['keys'], summary: "List the account's API keys (admin)", response: { 200: Type.Object({ object: Type.Literal('list'), data: Type.Array(Type.Ref('ApiKey')) }), ...problems } },
    },
    async (req) => ({ object: 'list' as const, data: await listKeys(db, req.principal.accountId) }),
  );

  f.post(
    '/keys',
    {
      config: admin,
      schema: { tags: ['keys'], summary: 'Create an API key (admin); its secret is in this answer only', body: KeyCreate, response: { 201: CreatedKey, ...problems } },
    },
    async (req, reply) => {
      const expiresAt = req.body.expires_at ? new Date(req.body.expires_at) : null;
      return reply.status(201).send(await createKey(db, req.principal.accountId, { name: req.body.name, scopes: req.body.scopes as Scope[], expiresAt }));
    },
  );

  f.delete(
    '/keys/:id',
    {
      config: admin,
      schema: { tags: ['keys'], summary: 'Revoke an API key (admin); effective within a second everywhere', params: KeyId, response: { 200: Type.Ref('ApiKey'), ...problems } },
    },
    async (req) => {
      const revoked = await revokeKey(db, req.params.id, req.principal.accountId);
      keys.forget();
      return revoked;
    },
  );

  f.post(
    '/keys/:id/rotate',
    {
      config: admin,
      schema: {
        tags: ['keys'],
        summary: 'Replace a key with a new secret of the same name, scopes and expiry (admin); the old secret stops working',
        params: KeyId,
        response: { 201: CreatedKey, ...problems },
      },
    },
    async (req, reply) => {
      const created = await rotateKey(db, req.params.id, req.principal.accountId);
      keys.forget();
      return reply.status(201).send(created);
    },
  );
}
