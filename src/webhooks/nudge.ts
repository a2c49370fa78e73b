// Tells this process's webhook sender to look for due deliveries now (an endpoint enabled again,
// a delivery retried by hand) instead of at its next poll. Other processes find them at theirs.

const listeners = new Set<() => void>();

export function onNudge(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function nudge() {
  for (const fn of listeners) fn();
}
