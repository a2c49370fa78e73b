// Render timings the browser test reads: how long a view took from asking for its data to
// having it on screen, and since the page started loading.

export interface Timing { view: string; sinceRequestMs: number; sinceNavigationMs: number }
declare global {
  interface Window { rosterTimings?: Timing[] }
}

export function markRendered(view: string, requestedAt: number) {
  const now = performance.now();
  (window.rosterTimings ??= []).push({ view, sinceRequestMs: now - requestedAt, sinceNavigationMs: now });
}
