// The HTTP floor: the same framework and driver as Roster, one hard-coded query whose JSON
// Postgres builds, passed through as text. No Roster code. BENCH_SQL and BENCH_PARAMS hold the
// statement (the harness passes the very page statement Roster sends, so the two serve the
// same records); without them, a narrow nine-column page.
import Fastify from 'fastify';
import postgres from 'postgres';

// BENCH_AS_ROSTER_APP (an account id): connect as Roster's reads do, as roster_app with the
// account set, so the statement runs under the same row-level security.
const account = process.env.BENCH_AS_ROSTER_APP;
// JIT off, as on Roster's connections (postgres-driver.ts).
const sql = postgres(process.env.DATABASE_URL!, { max: 10, connection: { jit: 'off', ...(account && { role: 'roster_app', 'roster.account_id': account }) } });
const text =
  process.env.BENCH_SQL ??
  `SELECT coalesce(json_agg(row_to_json(c)), '[]')::text AS records FROM (
     SELECT id, number, name, email, type, kyb_status, kyc_status, created_at, updated_at
       FROM customers WHERE account_id = $1 AND deleted_at IS NULL ORDER BY created_at, id LIMIT 20) c`;
const params: string[] = process.env.BENCH_PARAMS ? JSON.parse(process.env.BENCH_PARAMS) : [process.env.BENCH_ACCOUNT!];
const app = Fastify();
app.get('/customers', async (_req, reply) => {
  const [row] = await sql.unsafe(text, params, { prepare: true });
  reply.type('application/json').send(`{"data":${row.records}}`);
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('bare handler ready');
