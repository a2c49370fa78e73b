import assert from 'node:assert/strict';

// Writes stamp records with the millisecond they ran in: two writes in one millisecond share it.
// A test that a write moves a timestamp on first waits for the clock to pass the old one, then
// checks the new one lies between the moments before and after the write: never flaky, and it
// fails if the write left the timestamp where it was.

/** Waits until the clock is past `instant`; returns the moment it is (ms since the epoch). */
export async function clockPast(instant: string): Promise<number> {
  const t = Date.parse(instant);
  assert.ok(Number.isFinite(t), `not an instant: ${instant}`);
  while (Date.now() <= t) await new Promise((r) => setTimeout(r, 1));
  return Date.now();
}

/** `instant` was taken while the write ran: at or after `from`, at or before now. */
export function assertStampedSince(instant: string, from: number, what: string) {
  const t = Date.parse(instant);
  const now = Date.now();
  assert.ok(t >= from && t <= now, `${what}: ${instant} is not between ${new Date(from).toISOString()} and ${new Date(now).toISOString()}`);
}
