import type { ErrorContext, ErrorResponse, Surface } from '../dialects/index.ts';
import type { RosterError } from '../core/errors.ts';
import { ONBOARDING_PREFIX } from './links.ts';
import { messagePage } from './page.ts';

// The onboarding pages are read by people, not programs: an error there, whoever raises it (a
// route, or the server before routing), is a page that says what to do.

export const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

function wording(err: RosterError): [string, string] {
  if (err.status === 404) return ['This page does not exist', 'Open the link exactly as you received it. If it no longer works, ask for a new one.'];
  if (err.status === 401) return ['This link is incomplete', 'Open the link exactly as you received it. If it no longer works, ask for a new one.'];
  if (err.status === 429) return ['Too many attempts', 'Please wait a minute, then try again.'];
  if (err.code === 'unavailable') return ['This page is not available just now', 'Please try again in a moment.'];
  if (err.status >= 500) return ['Something went wrong', 'Please try again in a moment.'];
  return ['This request could not be read', 'Open the link exactly as you received it, and send the form from that page.'];
}

export function renderOnboardingError(err: RosterError, _ctx?: ErrorContext): ErrorResponse {
  const [title, text] = wording(err);
  return { status: err.status, contentType: 'text/html; charset=utf-8', body: messagePage(title, text), headers: PAGE_HEADERS };
}

export const onboardingSurface: Surface = { name: 'onboarding', prefix: ONBOARDING_PREFIX, renderError: renderOnboardingError };
