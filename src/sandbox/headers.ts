import type { IncomingHttpHeaders } from 'node:http';
import { ERROR_STEPS, scenarioNamed, type ErrorStep, type Scenario } from './scenarios.ts';

// Dakota's sandbox headers, read as its OpenAPI documents them. They mean something only for a
// test-mode account (T…), as on Dakota's sandbox host; a live-mode account (P…) ignores them,
// as Dakota's production does. Values the documentation says are ignored are ignored: an
// error step over 100 characters or not in the enum, a status outside 100–599, a message over
// 500 characters. An unknown scenario is ignored too.

export interface SandboxRequest {
  scenario?: Scenario;
  errorStep?: ErrorStep;
  errorStatus?: number;
  errorMessage?: string;
  skipAutoApproval: boolean;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** `true`/`1`/`yes` (any case) is true; anything else, or nothing, is false. */
export const truthy = (v: string | undefined) => v !== undefined && ['true', '1', 'yes'].includes(v.trim().toLowerCase());

/** The sandbox headers of a request, or undefined when the account is not in test mode. */
export function sandboxRequest(headers: IncomingHttpHeaders, accountId: string): SandboxRequest | undefined {
  if (!accountId.startsWith('T')) return undefined;
  const step = one(headers['x-sandbox-error-step']);
  const status = one(headers['x-sandbox-error-status']);
  const message = one(headers['x-sandbox-error-message']);
  const parsedStatus = status !== undefined && /^\s*\d{3}\s*$/.test(status) ? Number(status) : undefined;
  return {
    scenario: scenarioNamed(one(headers['x-sandbox-scenario'])?.trim()),
    errorStep: step !== undefined && step.length <= 100 && step in ERROR_STEPS ? (step as ErrorStep) : undefined,
    errorStatus: parsedStatus !== undefined && parsedStatus >= 100 && parsedStatus <= 599 ? parsedStatus : undefined,
    errorMessage: message !== undefined && message.length <= 500 ? message : undefined,
    skipAutoApproval: truthy(one(headers['x-sandbox-skip-auto-approval'])),
  };
}
