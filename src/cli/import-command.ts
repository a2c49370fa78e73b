import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { RECORD_SHAPES, type RecordShape } from '../dialects/record-shapes.ts';
import { runImport } from '../import/run-import.ts';
import { sampleSearch } from '../store/search-sample.ts';
import { openConfigured, storeConfig } from './config.ts';

// `roster import`: a file of customers into an account, in batches of one transaction each,
// every constraint live. Stopped at any point, the same command goes on where it stopped.

export function registerImport(program: Command, fail: (e: unknown) => never) {
  program
    .command('import')
    .description("Import customers from an NDJSON or CSV file, in Roster's record shape or a vendor's; running it again is harmless, and finishes an import that was stopped")
    .requiredOption('--account <id>', 'account id, e.g. T00000042')
    .argument('<file>', 'the file to import')
    .option('--format <format>', 'ndjson or csv (default: from the file name, else ndjson)')
    .option('--as <shape>', `record shape: ${RECORD_SHAPES.join(', ')}`, 'native')
    .option('--batch-size <n>', 'records per transaction', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error('--batch-size must be a whole number above 0');
      return n;
    })
    .option('--data-dir <dir>', 'embedded store directory (env ROSTER_DATA_DIR)')
    .action(async (file: string, opts) => {
      if (!existsSync(file)) fail(new Error(`no file ${file}`));
      const format = opts.format ?? (file.endsWith('.csv') ? 'csv' : 'ndjson');
      if (format !== 'ndjson' && format !== 'csv') fail(new Error('--format must be ndjson or csv'));
      if (!RECORD_SHAPES.includes(opts.as)) fail(new Error(`--as must be one of ${RECORD_SHAPES.join(', ')}`));
      const { db, release } = await openConfigured(storeConfig(opts.dataDir), 'roster import').catch(fail);
      const started = performance.now();
      const tty = process.stderr.isTTY;
      const bar = tty
        ? new cliProgress.SingleBar({ format: 'importing {bar} {percentage}% | {value}/{total} records | {rate} records/s', etaBuffer: 10 }, cliProgress.Presets.shades_classic)
        : undefined;
      let barStarted = false;
      try {
        const r = await runImport(db, {
          accountId: opts.account,
          file,
          format,
          shape: opts.as as RecordShape,
          batchSize: opts.batchSize,
          onOpen: (imp) => process.stderr.write(`import ${imp.id}${imp.created + imp.updated + imp.failed > 0 ? ' (going on where it stopped)' : ''}\n`),
          onProgress: (done, total) => {
            const rate = Math.round(done / ((performance.now() - started) / 1000));
            if (bar && !barStarted) {
              bar.start(total, 0, { rate: 0 });
              barStarted = true;
            }
            bar?.update(done, { rate });
            if (!tty) process.stderr.write(`importing: ${done}/${total} records (${rate} records/s)\n`);
          },
        });
        bar?.stop();
        const seconds = (performance.now() - started) / 1000;
        console.log(`Imported ${r.lines} records in ${seconds.toFixed(1)} s: ${r.created} created, ${r.updated} updated, ${r.failed} failed`);
        for (const e of r.errors.slice(0, 20)) console.log(`  line ${e.line}: ${e.reason}`);
        if (r.failed > 20) console.log(`  … ${r.failed - 20} more (GET /v1/imports/${r.id} lists the first ${r.errors.length})`);
        if (r.failed > 0) process.exitCode = 2;
        // Many new rows: a fresh sample of the search text keeps searches on their fast paths (a
        // running server takes one every six hours; a stale one costs speed, never a match).
        if (r.created >= 10_000) await sampleSearch(db).catch(() => {});
      } catch (e) {
        bar?.stop();
        fail(e);
      } finally {
        await db.close();
        release();
      }
    });
}
