// PostGraphile as its users deploy it: the amber preset over node:http, as its CLI serves it,
// with the customers table alone exposed. Run by bench/peers/index.ts as a child process.
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { pgSmartTags } from 'postgraphile/utils';

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  plugins: [
    pgSmartTags([
      // Only the table the bench compares: the other tables and Roster's SQL functions are hidden.
      { kind: 'class', match: (c) => c.relname !== 'customers', tags: { behavior: '-*' } },
      { kind: 'procedure', match: () => true, tags: { behavior: '-*' } },
      // Amber offers conditions only on indexed columns; deleted_at is indexed only in partial
      // indexes, so live records (deleted_at IS NULL) need this one documented smart tag.
      { kind: 'attribute', match: (a) => a.attname === 'deleted_at' && a.getClass().relname === 'customers', tags: { behavior: '+filterBy' } },
    ]),
  ],
  pgServices: [
    // Roster's pool size, so neither side queues on connections the other has.
    makePgService({ connectionString: process.env.DATABASE_URL, schemas: ['public'], poolConfig: { max: 10 } }),
  ],
});
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server);
// The schema is built lazily by default; build it now so the first measured request does not pay for it.
await pgl.getSchema();
await serv.ready();
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('postgraphile ready'));
