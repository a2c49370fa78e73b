import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { SCOPES, type Scope } from '../core/model.ts';
import { fail, parseExpiry, printTable, withOps } from './operator.ts';

// roster key create | list | revoke

function parseScopes(value: string): Scope[] {
  const scopes = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of scopes) if (!(SCOPES as readonly string[]).includes(s)) throw new InvalidArgumentError(`unknown scope "${s}"; use read, write and/or admin`);
  if (scopes.length === 0) throw new InvalidArgumentError('name at least one scope');
  return [...new Set(scopes)] as Scope[];
}

const dataDirOption = ['--data-dir <dir>', 'embedded store directory (env ROSTER_DATA_DIR)'] as const;

export function registerKeyCommands(program: Command) {
  const key = program.command('key').description("Manage an account's API keys (works while roster serve runs)");

  key
    .command('create')
    .description('Create an API key; its secret is printed once')
    .requiredOption('--account <id>', 'account id: T… (test mode) or P… (live mode)')
    .requiredOption('--scopes <list>', 'comma-separated: read, write, admin', parseScopes)
    .option('--name <name>', 'what the key is for', 'cli')
    .option('--expires <when>', 'expiry: 30d, 12h, 45m or an ISO 8601 date', (v) => parseExpiry(v))
    .option(...dataDirOption)
    .option('--json', 'print one JSON object')
    .action(async (opts) => {
      const k = await withOps(opts.dataDir, 'roster key create', (ops) => ops.createKey(opts.account, opts.name, opts.scopes, opts.expires ?? null)).catch(fail);
      if (opts.json) console.log(JSON.stringify({ key_id: k.id, api_key: k.api_key, scopes: k.scopes, expires_at: k.expires_at, account_id: k.account_id, name: k.name }));
      else console.log(`Key ${k.id} for ${k.account_id} (${k.scopes.join(',')}${k.expires_at ? `, expires ${k.expires_at}` : ''})\n  api_key: ${k.api_key}\nThe secret is shown only now.`);
    });

  key
    .command('list')
    .description("List an account's keys (never their secrets)")
    .requiredOption('--account <id>', 'account id, e.g. T00000042')
    .option(...dataDirOption)
    .option('--json', 'print a JSON array')
    .action(async (opts) => {
      const keys = await withOps(opts.dataDir, 'roster key list', (ops) => ops.listKeys(opts.account)).catch(fail);
      if (opts.json) return console.log(JSON.stringify(keys));
      if (keys.length === 0) return console.log(`No keys for ${opts.account}.`);
      const state = (k: (typeof keys)[number]) => (k.revoked_at ? 'revoked' : k.expires_at && Date.parse(k.expires_at) <= Date.now() ? 'expired' : 'active');
      printTable([
        ['KEY ID', 'NAME', 'PREFIX', 'SCOPES', 'STATE', 'EXPIRES', 'LAST USED'],
        ...keys.map((k) => [k.id, k.name, k.prefix, k.scopes.join(','), state(k), k.expires_at ?? '-', k.last_used_at ?? 'never']),
      ]);
    });

  key
    .command('revoke')
    .description('Revoke a key; servers refuse it within a second')
    .argument('<key_id>', 'the key id from key list')
    .option(...dataDirOption)
    .option('--json', 'print the revoked key as JSON')
    .action(async (keyId: string, opts) => {
      const k = await withOps(opts.dataDir, 'roster key revoke', (ops) => ops.revokeKey(keyId)).catch(fail);
      console.log(opts.json ? JSON.stringify(k) : `Key ${k.id} (${k.name}) of ${k.account_id} revoked at ${k.revoked_at}.`);
    });
}
