import { Command, InvalidArgumentError } from 'commander';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { storeConfig, openConfigured } from './config.ts';
import { ensureDemo } from './demo.ts';
import { registerCheck } from './check.ts';
import { registerExport } from './export-command.ts';
import { registerImport } from './import-command.ts';
import { buildApp, serveOrigins } from '../http/app.ts';
import { parseListen, type Listen } from '../http/origins.ts';
import { KeyResolver } from '../http/auth.ts';
import { registerAccountCommands } from './accounts.ts';
import { registerKeyCommands } from './keys.ts';
import { directOps } from './admin-ops.ts';
import { serveControl } from './control-socket.ts';
import { keepSearchSampled } from '../store/search-sample.ts';
import { keepPurging } from '../store/idempotency-repo.ts';
import { startSandboxWorker } from '../sandbox/worker.ts';
import { loadSettings, type Settings } from '../config/settings.ts';
import { loggerOption } from '../ops/logging.ts';
import { startTracing, stopTracing } from '../ops/tracing.ts';
import { dataflowSettings } from '../config/dataflow.ts';
import { startWebhookSender } from '../webhooks/sender.ts';
import { keepEventsPurged } from '../store/events-repo.ts';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
};
const positive = (v: string) => {
  const n = int(v);
  if (n === 0) throw new InvalidArgumentError('must be at least 1');
  return n;
};

function fail(e: unknown): never {
  console.error(`roster: ${(e as Error).message}`);
  process.exit(1);
}

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const program = new Command('roster').description('A customer and user directory with a fast list API.').version(version, '-V, --version');
// Every setting is checked before any command runs; a bad one stops it with the variable named.
let settings: Settings;
program.hook('preAction', () => {
  try {
    settings = loadSettings();
  } catch (e) {
    fail(e);
  }
});

program
  .command('serve')
  .description('Serve every API over the embedded store, or DATABASE_URL when set')
  .option('--port <port>', 'port to listen on (env PORT)', int)
  .option('--host <host>', 'address to bind (env HOST)')
  .option('--data-dir <dir>', 'embedded store directory (env ROSTER_DATA_DIR)')
  .option('--demo-customers <n>', 'customers in the demo account created on first start', int, 10_000)
  .option('--no-demo', 'start without creating a demo account in an empty store (env ROSTER_DEMO=off)')
  .option(
    '--listen <surface=host:port>',
    'also serve one dialect at the root of an origin of its own, e.g. dakota=127.0.0.1:8081; repeatable (env ROSTER_LISTEN, comma-separated)',
    (v: string, all: string[]) => [...all, v],
    [] as string[],
  )
  .option('--host-routing', 'pick a dialect by the Host header too, e.g. dakota.localhost (env ROSTER_HOST_ROUTING=on)')
  .action(async (opts) => {
    const cfg = storeConfig(opts.dataDir, settings);
    const listenSpecs: string[] = opts.listen.length ? opts.listen : settings.listen;
    const port = opts.port ?? settings.port;
    const host = opts.host ?? settings.host;
    const { db, release } = await openConfigured(cfg, 'roster serve').catch(fail);
    const credentialsFile = join(cfg.dataDir, 'demo-credentials.json');
    const wantDemo = opts.demo !== false && settings.demo;
    if (wantDemo) mkdirSync(cfg.dataDir, { recursive: true });
    const demo = wantDemo
      ? await ensureDemo(db, { customers: opts.demoCustomers, users: 50, credentialsFile, onStart: () => console.log(`Creating a demo account with ${opts.demoCustomers} customers…`) }).catch(fail)
      : undefined;
    const keys = new KeyResolver(db);
    const hostRouting = Boolean(opts.hostRouting) || settings.hostRouting;
    if (settings.tracing) await startTracing(settings.tracing, version);
    const app = await buildApp({ db, keys, logger: await loggerOption(settings), metrics: settings.metrics, hostRouting });
    let listens: Listen[] = [];
    try {
      listens = parseListen(listenSpecs, app.origins.surfaces);
    } catch (e) {
      await db.close();
      release();
      fail(e);
    }
    const stopSampling = keepSearchSampled(db, (e) => console.error(`roster: sampling the search text failed: ${(e as Error).message}`));
    // Test-mode customers' own transitions (sandbox), and keys past their idempotency window.
    const stopSandbox = startSandboxWorker(db, { name: String(process.pid), onError: (e) => console.error(`roster: the sandbox worker: ${(e as Error).message}`) });
    const stopPurging = keepPurging(db, (e) => console.error(`roster: forgetting expired idempotency keys failed: ${(e as Error).message}`));
    // Webhook deliveries and event retention. Only an error's code is logged: a database
    // message can quote a record's values.
    const flow = dataflowSettings();
    const codeOf = (e: unknown) => (e as { code?: string }).code ?? (e as Error).name ?? 'error';
    const sender = flow.webhooksEnabled ? startWebhookSender(db, flow, (e) => console.error(`roster: webhook sender: ${codeOf(e)}; retrying`)) : undefined;
    const stopPurgingEvents = keepEventsPurged(db, flow.eventRetentionDays, (e) => console.error(`roster: removing old events failed: ${codeOf(e)}`));
    // The operator's commands reach the embedded store through this server while it runs.
    const control = cfg.databaseUrl
      ? undefined
      : await serveControl(
          cfg.dataDir,
          directOps(db, () => keys.forget()),
        );
    if (control && 'skipped' in control) console.error(`roster: no control socket: ${control.skipped}; stop the server to run key and account commands`);
    let closeOrigins = async () => {};
    const shutdown = async () => {
      stopSampling();
      stopPurging();
      stopPurgingEvents();
      await stopSandbox();
      await sender?.stop();
      if (control && 'close' in control) await control.close();
      await closeOrigins();
      await app.close();
      await db.close();
      await stopTracing().catch(() => {});
      release();
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    await app.listen({ port, host });
    closeOrigins = await serveOrigins(app, listens).catch(fail);
    const base = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
    console.log(`Roster listening on ${base} (${cfg.databaseUrl ? 'PostgreSQL' : `embedded store in ${cfg.dataDir}`})`);
    for (const l of listens) console.log(`  ${l.surface} at the root of http://${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port}`);
    if (hostRouting) console.log(`  and by Host: ${app.origins.surfaces.map((s) => `${s}.localhost`).join(', ')}`);
    if (demo) {
      console.log(`\nDemo account ${demo.account_id} created with demo data. Its credentials (a copy is in ${credentialsFile}):`);
      console.log(`  api_key:       ${demo.api_key}`);
      console.log(`  client_id:     ${demo.client_id}`);
      console.log(`  client_secret: ${demo.client_secret}`);
      console.log(`\nTry:\n  curl -s '${base}/v1/customers?limit=3' -H 'Authorization: Bearer ${demo.api_key}'\n`);
    } else if (existsSync(credentialsFile)) {
      console.log(`Demo credentials: ${credentialsFile}`);
    } else if (wantDemo) {
      console.log(`No demo credentials file (${credentialsFile}): the store held accounts before this start.`);
    }
    console.log(`Console: ${base}/console (sign in with an API key)`);
    console.log(`API reference: ${base}/docs`);
  });

registerAccountCommands(program);
registerKeyCommands(program);

registerExport(program, fail);
registerImport(program, fail);

registerCheck(program, (dataDir) => openConfigured(storeConfig(dataDir, settings), 'roster check', { repair: false }), fail);

program
  .command('seed')
  .description('Load realistic, deterministic demo records into an account, in bulk; an interrupted seed is finished by running the same command again')
  .requiredOption('--account <id>', 'account id, e.g. T00000042')
  .option('--customers <n>', 'customers to create', int, 10_000)
  .option('--users <n>', 'team users to create', int, 50)
  .option('--seed <s>', 'random seed', int, 1)
  .option('--batch-size <n>', 'customers per transaction', positive)
  .option('--data-dir <dir>', 'embedded store directory (env ROSTER_DATA_DIR)')
  .action(async (opts) => {
    const { db, release } = await openConfigured(storeConfig(opts.dataDir, settings), 'roster seed').catch(fail);
    try {
      const { seed } = await import('../seed/load.ts');
      const r = await seed(db, { accountId: opts.account, customers: opts.customers, users: opts.users, seed: opts.seed, batchSize: opts.batchSize, progress: process.stderr.isTTY ? 'bar' : 'lines' });
      console.log(
        `${r.resumed ? 'Finished an interrupted seed: ' : 'Seeded '}${r.customers} customers and ${r.users} users in ${r.seconds.toFixed(1)} s (${Math.round(r.customers / r.seconds)} customers/s)`,
      );
    } catch (e) {
      fail(e);
    } finally {
      await db.close();
      release();
    }
  });

await program.parseAsync(process.argv);
