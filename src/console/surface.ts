import type { ErrorContext, ErrorResponse, Surface } from '../dialects/index.ts';
import type { RosterError } from '../core/errors.ts';

// The console's own paths are the page and its two files; what else goes wrong under /console
// (an asset that does not exist, a URL the server cannot read) is answered as a page too.

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderConsoleError(err: RosterError, _ctx?: ErrorContext): ErrorResponse {
  const title = err.status === 404 ? 'Not found' : err.status >= 500 ? 'Something went wrong' : 'Bad request';
  const body = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title} · Roster console</title><h1>${title}</h1><p>${esc(err.message)}</p><p><a href="/console">Open the console</a></p></html>`;
  return { status: err.status, contentType: 'text/html; charset=utf-8', body, headers: { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' } };
}

export const consoleSurface: Surface = { name: 'console', prefix: '/console', renderError: renderConsoleError };
