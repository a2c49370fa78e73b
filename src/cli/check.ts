import type { Command } from 'commander';
import { checkSchema } from '../store/schema-check.ts';
import { accountsWithWrongCounts, recount } from '../store/counter-check.ts';
import type { Db } from '../store/db.ts';

// `roster check`: what a start checks (every constraint, index and trigger the migrations
// define), and what it does not, because it reads every record: counters against a recount,
// and loads that were stopped part way.

export interface CheckResult {
  schema: string[];
  counters: string[];
  unfinishedLoads: { account_id: string; key: string; done: number; batches: number }[];
  repaired: string[];
}

export async function runCheck(db: Db, repair: boolean): Promise<CheckResult> {
  const schema = await checkSchema(db, { repair });
  const counters = await accountsWithWrongCounts(db);
  const repaired = [...schema.repaired];
  if (repair) {
    for (const account of counters) {
      await recount(db, account);
      repaired.push(`counters of ${account}`);
    }
  }
  const unfinishedLoads = await db.query<CheckResult['unfinishedLoads'][number]>(
    `SELECT l.account_id, l.key, l.batches, (SELECT count(*)::int FROM bulk_load_batches b WHERE b.load_id = l.id) AS done
       FROM bulk_loads l WHERE l.finished_at IS NULL ORDER BY l.started_at`,
  );
  return { schema: schema.problems, counters, unfinishedLoads, repaired };
}

export function printCheck(r: CheckResult) {
  const lines: string[] = [];
  lines.push(r.schema.length ? `Schema: ${r.schema.join('; ')}` : 'Schema: every constraint, index and trigger present and valid');
  lines.push(r.counters.length ? `Counters differ from a recount for ${r.counters.join(', ')}` : 'Counters: equal to a recount in every account');
  for (const l of r.unfinishedLoads) lines.push(`Unfinished load in ${l.account_id}: "${l.key}", ${l.done} of ${l.batches} batches in; run the same command again to finish it`);
  if (r.repaired.length) lines.push(`Repaired: ${r.repaired.join(', ')}`);
  console.log(lines.join('\n'));
}

/** Whether anything is still wrong after the check (and its repairs). */
export const stillWrong = (r: CheckResult, repaired: boolean) => !repaired && (r.schema.length > 0 || r.counters.length > 0);

export function registerCheck(program: Command, open: (dataDir: string | undefined) => Promise<{ db: Db; release: () => void }>, fail: (e: unknown) => never) {
  program
    .command('check')
    .description('Check the store: every constraint, index and trigger, counters against a recount, unfinished loads')
    .option('--repair', 'put back what is missing, count wrong counters again')
    .option('--json', 'print one JSON object')
    .option('--data-dir <dir>', 'embedded store directory (env ROSTER_DATA_DIR)')
    .action(async (opts) => {
      const { db, release } = await open(opts.dataDir).catch(fail);
      try {
        const r = await runCheck(db, Boolean(opts.repair));
        if (opts.json) console.log(JSON.stringify(r));
        else printCheck(r);
        if (stillWrong(r, Boolean(opts.repair))) process.exitCode = 2;
      } catch (e) {
        fail(e);
      } finally {
        await db.close();
        release();
      }
    });
}
