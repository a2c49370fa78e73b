// The HTTP floor: the same framework and driver as Roster, one hard-coded keyset page whose
// JSON Postgres builds, passed through as text. No Roster code.
import Fastify from 'fastify';
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL!, { max: 10 });
const account = process.env.BENCH_ACCOUNT!;
const app = Fastify();
app.get('/customers', async (_req, reply) => {
  const [row] = await sql.unsafe(
    `SELECT coalesce(json_agg(row_to_json(c)), '[]')::text AS body FROM (
       SELECT id, number, name, email, type, kyb_status, kyc_status, created_at, updated_at
         FROM customers WHERE account_id = $1 AND deleted_at IS NULL ORDER BY created_at, id LIMIT 20) c`,
    [account],
    { prepare: true },
  );
  reply.type('application/json').send(row.body);
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('bare handler ready');
