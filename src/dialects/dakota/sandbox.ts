import { STATUS_CODES } from 'node:http';
import type { ErrorCode } from '../../core/errors.ts';
import type { SandboxRequest } from '../../sandbox/headers.ts';
import { ERROR_STEPS, SCENARIOS } from '../../sandbox/scenarios.ts';
import { DakotaProblem } from './problems.ts';

// Dakota's sandbox on a customer create: a scenario or an injected error that fails the request
// does so before anything is written, in Dakota's problem shape with the status asked for.

const DOCS = 'https://docs.dakota.xyz/api-reference/errors#';

/** The `type` fragment Dakota's spec uses for a status. */
function fragment(status: number): string {
  if (status === 400) return 'invalid-request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload-too-large';
  if (status === 422) return 'validation-error';
  if (status === 429) return 'rate-limit-exceeded';
  if (status === 501) return 'not-implemented';
  if (status === 502) return 'provider-error';
  if (status === 503 || status === 504) return 'service-unavailable';
  return status >= 500 ? 'internal-error' : 'invalid-request';
}

const codeOf = (status: number): ErrorCode => (status === 503 ? 'unavailable' : status >= 500 ? 'internal' : status === 404 ? 'not_found' : status === 409 ? 'conflict' : 'invalid_request');

/** An error the sandbox was asked for: its status, Dakota's type and title for it, the step it fired at. */
export class SandboxFailure extends DakotaProblem {
  constructor(
    status: number,
    message: string,
    readonly step: string,
  ) {
    super(codeOf(status), message, STATUS_CODES[status] ?? 'Sandbox error', DOCS + fragment(status), [{ field: 'X-Sandbox-Error-Step', message: `injected at ${step}`, code: 'sandbox' }]);
    (this as { status: number }).status = status;
  }
}

/** Fails the create as the request's scenario or injected error says, before it writes anything. */
export async function failBeforeCreate(req: SandboxRequest): Promise<void> {
  const fails = req.scenario?.fails;
  if (fails && (fails.oneIn === undefined || Math.random() < 1 / fails.oneIn)) {
    if (fails.delayMs) await new Promise((r) => setTimeout(r, fails.delayMs));
    throw new SandboxFailure(fails.status, fails.message, req.scenario!.name);
  }
  if (req.errorStep && ERROR_STEPS[req.errorStep] === 'create' && req.errorStatus !== undefined && req.errorStatus >= 400) {
    throw new SandboxFailure(req.errorStatus, req.errorMessage ?? `Sandbox error injected at ${req.errorStep}`, req.errorStep);
  }
}

/** GET /sandbox/scenarios, as Dakota's docs describe it. */
export const scenarioList = () => ({
  data: SCENARIOS.map((s) => ({ name: s.name, description: s.description, applies_to: s.applies_to })),
  error_steps: Object.entries(ERROR_STEPS).map(([name, where]) => ({
    name,
    applies_to: where === 'payments' ? 'payments' : 'customers',
    fires: where === 'create' ? 'before the customer is created' : where === 'approval' ? 'at the KYB approval after the delay' : 'never on customers',
  })),
});
