import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort, roster, stop } from '../../test/support/processes.ts';
import { loggerOption } from './logging.ts';

test('LOG_LEVEL sets the level; silent means no logger; JSON unless a terminal or asked for pretty', async () => {
  assert.equal(await loggerOption({ logLevel: 'silent', logFormat: 'pretty' }, true), false);
  assert.deepEqual(await loggerOption({ logLevel: 'warn', logFormat: 'auto' }, false), { level: 'warn' });
  assert.deepEqual(await loggerOption({ logLevel: 'info', logFormat: 'json' }, true), { level: 'info' });
  const tty = await loggerOption({ logLevel: 'debug', logFormat: 'auto' }, true);
  assert.ok(tty && tty.level === 'debug' && typeof tty.stream?.write === 'function');
});

test('a server asked for pretty logs writes readable lines, and LOG_LEVEL=warn leaves out request logs', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-logs-'));
  try {
    for (const [level, expectRequests] of [
      ['info', true],
      ['warn', false],
    ] as const) {
      const port = await freePort();
      const server = roster(['serve', '--port', String(port), '--data-dir', join(dir, level), '--no-demo'], { ROSTER_LOG: 'on', LOG_LEVEL: level, ROSTER_LOG_FORMAT: 'pretty' });
      try {
        await server.waitFor(/API reference/);
        await fetch(`http://127.0.0.1:${port}/health`);
        if (expectRequests) await server.waitFor(/request completed/);
        else await new Promise((r) => setTimeout(r, 500));
        const out = server.output();
        assert.doesNotMatch(out, /^\{"level"/m, 'no JSON lines');
        if (expectRequests) assert.match(out, /INFO.*incoming request/);
        else assert.doesNotMatch(out, /incoming request|request completed/);
      } finally {
        await stop(server);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
