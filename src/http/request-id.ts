import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';

// Every request has an id, logged with it and returned as `x-request-id` on every response of
// every surface. A caller's own id is kept when it is well-formed (so a trace spans systems);
// anything else is replaced, so no header value of the caller's choosing reaches the logs.

const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * `req_` and 26 lowercase characters, the form Dakota's request ids take: hex digits of a random
 * UUID (about 100 random bits). Not a secret, so it is drawn from the UUID generator's buffered
 * entropy rather than by a system call of its own on every request.
 */
export const newRequestId = () => 'req_' + randomUUID().replaceAll('-', '').slice(0, 26);

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && WELL_FORMED.test(given) ? given : newRequestId();
}
