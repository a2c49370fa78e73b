/**
 * Rate limits count in fixed one-minute windows: a test that must see one window's count waits
 * for a fresh window when fewer than `needMs` milliseconds are left in the current one.
 */
export async function withinOneWindow(needMs = 20_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
}
