import type { FastifyRequest } from 'fastify';

// What request logs may hold. A path can carry personal data (a Dintero customer_id, an
// InvestiFi user_account_id, a token id), so a request is logged by its route pattern, never its
// path; query strings, headers and bodies are never logged. A database error's message and
// detail quote the values of the statement (an email, a name), so it is logged by its SQLSTATE
// and the names of the constraint, table and column alone.

const isDatabaseError = (e: { code?: unknown; severity?: unknown }) => typeof e.severity === 'string' && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code);

export const logSerializers = {
  req: (req: FastifyRequest) => ({ method: req.method, route: req.routeOptions?.url ?? null }),
  err: (e: Error & { code?: string; severity?: string; constraint_name?: string; constraint?: string; table_name?: string; table?: string; column_name?: string; column?: string }) => {
    if (isDatabaseError(e)) {
      return {
        type: e.name,
        code: e.code,
        constraint: e.constraint_name ?? e.constraint ?? '',
        table: e.table_name ?? e.table ?? '',
        column: e.column_name ?? e.column ?? '',
        // The first line of a stack is the message.
        stack: (e.stack ?? '').split('\n').slice(1).join('\n'),
      };
    }
    return { type: e.name, message: e.message, code: e.code ?? '', stack: e.stack ?? '' };
  },
};
