import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { RosterError } from '../../core/errors.ts';
import { inAccount, type Db } from '../../store/db.ts';
import { autoApprovalMs, setAutoApprovalMs } from '../../sandbox/transitions.ts';
import { SCENARIOS } from '../../sandbox/scenarios.ts';

// A test-mode account's sandbox settings (admin scope): how long after creation a customer's
// KYB is approved on its own (src/sandbox). Live-mode accounts have no sandbox.

const problems = Object.fromEntries([400, 401, 403].map((s) => [s, Type.Ref('Problem')]));
const Settings = Type.Object({
  auto_approval_seconds: Type.Number({
    minimum: 0,
    maximum: 86_400,
    description: 'Seconds after creation a test-mode customer created through Dakota is approved on its own; 0 turns it off. Default 5.',
  }),
  scenarios: Type.Array(Type.Object({ name: Type.String(), applies_to: Type.String(), description: Type.String() }), {
    description: 'What X-Sandbox-Scenario accepts (as GET /dakota/sandbox/scenarios)',
  }),
});
const SettingsUpdate = Type.Object({ auto_approval_seconds: Type.Number({ minimum: 0, maximum: 86_400 }) }, { additionalProperties: false });
const admin = { need: 'admin' };

const testMode = (accountId: string) => {
  if (!accountId.startsWith('T')) throw new RosterError('invalid_operation', 'Live-mode accounts have no sandbox; use the test-mode account (T…)', [{ field: 'account', message: 'live mode' }]);
};

export function sandboxRoutes(app: FastifyInstance, db: Db) {
  const f = app.withTypeProvider<TypeBoxTypeProvider>();
  const view = (ms: number) => ({ auto_approval_seconds: ms / 1000, scenarios: SCENARIOS.map(({ name, applies_to, description }) => ({ name, applies_to, description })) });

  f.get('/sandbox', { config: admin, schema: { tags: ['sandbox'], summary: "The test-mode account's sandbox settings", response: { 200: Settings, ...problems } } }, async (req) => {
    testMode(req.principal.accountId);
    return view(await inAccount(db, req.principal.accountId, (tx) => autoApprovalMs(tx, req.principal.accountId)));
  });

  f.put(
    '/sandbox',
    { config: admin, schema: { tags: ['sandbox'], summary: "Change the test-mode account's sandbox settings", body: SettingsUpdate, response: { 200: Settings, ...problems } } },
    async (req) => {
      const accountId = req.principal.accountId;
      testMode(accountId);
      const ms = Math.round(req.body.auto_approval_seconds * 1000);
      await inAccount(db, accountId, (tx) => setAutoApprovalMs(tx, accountId, ms));
      return view(ms);
    },
  );
}
