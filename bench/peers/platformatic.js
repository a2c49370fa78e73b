// Platformatic DB as its users deploy it: the DB capability with its generated REST API (and
// GraphQL, on by default) over the customers table, configured in code rather than in a
// platformatic.json. Run by bench/peers/index.ts as a child process of the bench.
import { create } from '@platformatic/db';

const app = await create(import.meta.dirname, {
  server: { hostname: '127.0.0.1', port: Number(process.env.PORT), logger: { level: 'warn' } },
  db: {
    connectionString: process.env.DATABASE_URL,
    // Only the table the bench compares; the others have no counterpart in the query mix.
    include: { customers: true },
    // Roster's pool size, so neither side queues on connections the other has.
    poolSize: 10,
    limit: { default: 20, max: 100 },
  },
});
// Platformatic binds every interface whenever it detects a container; the bench serves loopback only.
app.serverConfig.hostname = '127.0.0.1';
await app.start({ listen: true });
console.log('platformatic ready');
