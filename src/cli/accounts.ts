import type { Command } from 'commander';
import { fail, printTable, withOps } from './operator.ts';

// roster account create | list

export function registerAccountCommands(program: Command) {
  const account = program.command('account').description('Manage accounts (works while roster serve runs)');
  account
    .command('create')
    .description('Create an account with an API key and an OAuth client')
    .requiredOption('--name <name>', 'account name')
    .option('--mode <mode>', 'test or live: the mode the printed credentials are for', 'test')
    .option('--data-dir <dir>', 'embedded store directory (env ROSTER_DATA_DIR)')
    .option('--json', 'print one JSON object')
    .action(async (opts) => {
      if (opts.mode !== 'test' && opts.mode !== 'live') fail(new Error('--mode must be test or live'));
      const created = await withOps(opts.dataDir, 'roster account create', (ops) => ops.createAccount(opts.name, opts.mode)).catch(fail);
      if (opts.json) console.log(JSON.stringify(created));
      else console.log(`Account ${created.account_id} (${created.name})\n  api_key:       ${created.api_key}\n  client_id:     ${created.client_id}\n  client_secret: ${created.client_secret}`);
    });

  account
    .command('list')
    .description('List accounts with their test and live ids')
    .option('--data-dir <dir>', 'embedded store directory (env ROSTER_DATA_DIR)')
    .option('--json', 'print a JSON array')
    .action(async (opts) => {
      const accounts = await withOps(opts.dataDir, 'roster account list', (ops) => ops.listAccounts()).catch(fail);
      if (opts.json) return console.log(JSON.stringify(accounts));
      if (accounts.length === 0) return console.log('No accounts.');
      const mode = (a: (typeof accounts)[number], m: string) => a.modes.find((x) => x.mode === m);
      printTable([
        ['TEST ID', 'LIVE ID', 'NAME', 'ACTIVE KEYS (TEST/LIVE)', 'CREATED'],
        ...accounts.map((a) => [
          mode(a, 'test')?.account_id ?? '-',
          mode(a, 'live')?.account_id ?? '-',
          a.name,
          `${mode(a, 'test')?.active_keys ?? 0}/${mode(a, 'live')?.active_keys ?? 0}`,
          a.created_at,
        ]),
      ]);
    });
}
