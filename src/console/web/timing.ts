// Render timings the browser test reads: how long a view took from asking for its data to
// having it on screen, and since the page started loading.

export interface Timing {
  view: string;
  sinceRequestMs: number;
  renderMs: number;
  sinceNavigationMs: number;
}
declare global {
  interface Window {
    rosterTimings?: Timing[];
  }
}

/** `requestedAt`: when the view asked for its data; `arrivedAt`: when the data came back. */
export function markRendered(view: string, requestedAt: number, arrivedAt = requestedAt) {
  const now = performance.now();
  (window.rosterTimings ??= []).push({ view, sinceRequestMs: now - requestedAt, renderMs: now - arrivedAt, sinceNavigationMs: now });
}
