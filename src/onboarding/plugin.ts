import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RosterError } from '../core/errors.ts';
import type { Customer, CustomerInput } from '../core/model.ts';
import { getCustomerIn, lockCustomer, updateCustomerIn } from '../store/customers-repo.ts';
import { inAccount, type Db } from '../store/db.ts';
import { findLink } from './links.ts';
import { PAGE_HEADERS, renderOnboardingError } from './surface.ts';
import { asRosterError } from '../http/error-mapping.ts';
import { errorContext, sendErrorResponse } from '../http/surface-errors.ts';
import { OPEN_FOR_CUSTOMER, stepPatch } from './lifecycle.ts';
import { applicationPage, messagePage, PRODUCTS, valuesOf, type FormErrors, type FormValues } from './page.ts';

// The hosted onboarding page behind an application's link (Dakota's application_url and KYB
// link): the token in the link is the only credential. The customer fills in the form; a valid
// submission writes their details and moves the application to `submitted`.

type Req = FastifyRequest<{ Params: { applicationId: string }; Querystring: { token?: string }; Body?: FormValues }>;

const send = (reply: FastifyReply, status: number, html: string) => reply.status(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(html);

export function validate(c: Customer, v: FormValues): FormErrors {
  const errors: FormErrors = {};
  const text = (k: string) => (typeof v[k] === 'string' ? (v[k] as string).trim() : '');
  const business = ['business', 'operator', 'operator_subsidiary'].includes(c.type);
  if (business && (text('name').length < 3 || text('name').length > 100)) errors.name = 'Enter the legal name, 3 to 100 characters.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text('email'))) errors.email = 'Enter an email address such as name@example.com.';
  if (!/^[A-Za-z]{2}$/.test(text('country'))) errors.country = 'Enter a two-letter country code, such as DK or US.';
  if (!text('first_name')) errors.first_name = 'Enter your first name.';
  if (!text('last_name')) errors.last_name = 'Enter your last name.';
  const dob = text('date_of_birth');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dob) || Number.isNaN(Date.parse(dob)) || Date.parse(dob) > Date.now()) errors.date_of_birth = 'Enter your date of birth.';
  if (v.confirm !== 'yes') errors.confirm = 'Confirm that the details are correct.';
  return errors;
}

function detailsPatch(c: Customer, v: FormValues): CustomerInput {
  const text = (k: string) => (v[k] as string).trim();
  const business = ['business', 'operator', 'operator_subsidiary'].includes(c.type);
  const chosen = (Array.isArray(v.products) ? v.products : v.products ? [v.products] : []).filter((p) => (PRODUCTS as readonly string[]).includes(p));
  const held = new Set(c.product_accounts.map((p) => p.product));
  const organization = typeof v.organization_number === 'string' ? v.organization_number.trim() : '';
  return {
    ...(business ? { name: text('name'), company: { ...(c.company ?? {}), bussiness_name: text('name'), ...(organization ? { organization_number: organization } : {}) } } : {}),
    email: text('email'),
    country: text('country').toUpperCase(),
    first_name: text('first_name'),
    last_name: text('last_name'),
    date_of_birth: text('date_of_birth'),
    ...(chosen.some((p) => !held.has(p))
      ? { product_accounts: [...c.product_accounts, ...chosen.filter((p) => !held.has(p)).map((product) => ({ product, kyc_status: 'pending', kyc_approved_at: null, current_market_value: '0.00' }))] }
      : {}),
  };
}

export async function onboardingPlugin(app: FastifyInstance, opts: { db: Db }) {
  const { db } = opts;
  // Plain HTML forms post url-encoded bodies; repeated names (the product boxes) become arrays.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => {
    const out: FormValues = {};
    for (const [k, v] of new URLSearchParams(body as string)) {
      const prior = out[k];
      out[k] = prior === undefined ? v : ([] as string[]).concat(prior, v);
    }
    done(null, out);
  });
  // Every error here is a page: a form that cannot be read, a database away, or (logged) a bug.
  app.setErrorHandler((error, req, reply) => {
    const e = error as { validation?: unknown };
    const err = e.validation ? new RosterError('invalid_request', 'The request could not be read') : asRosterError(error, req.log);
    return sendErrorResponse(reply, renderOnboardingError(err, errorContext(req)));
  });

  /** The customer a request's link opens, or the page to answer with instead. */
  async function open(req: Req): Promise<{ accountId: string; customer: Customer } | { status: number; html: string }> {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    if (!token) return { status: 401, html: messagePage('This link is incomplete', 'Open the link exactly as you received it. If it no longer works, ask for a new one.') };
    const link = await findLink(db, req.params.applicationId, token);
    if (!link) return { status: 404, html: messagePage('This link is not valid', 'It may have expired or been replaced by a newer link. Ask for a new one.') };
    const customer = await inAccount(db, link.accountId, (tx) => getCustomerIn(tx, link.accountId, { by: 'id', value: link.customerId }));
    if (!customer?.application || customer.application.id !== link.applicationId)
      return { status: 404, html: messagePage('This application is closed', 'There is nothing to complete here any more.') };
    return { accountId: link.accountId, customer };
  }

  const schema = { hide: true, params: { type: 'object', properties: { applicationId: { type: 'string', pattern: '^[0-9A-Za-z]{27}$' } } } };

  app.get('/:applicationId', { schema }, async (req: Req, reply) => {
    const opened = await open(req);
    if ('html' in opened) return send(reply, opened.status, opened.html);
    return send(reply, 200, applicationPage(opened.customer, valuesOf(opened.customer), {}));
  });

  app.post('/:applicationId', { schema }, async (req: Req, reply) => {
    const opened = await open(req);
    if ('html' in opened) return send(reply, opened.status, opened.html);
    const values = (req.body ?? {}) as FormValues;
    const { accountId, customer } = opened;
    if (!OPEN_FOR_CUSTOMER.includes(customer.application!.status)) return send(reply, 409, applicationPage(customer, values, {}));
    const errors = validate(customer, values);
    if (Object.keys(errors).length) return send(reply, 400, applicationPage(customer, values, errors));
    try {
      const updated = await inAccount(db, accountId, async (tx) => {
        // Locked, then read again: a second submission or an operator's step waits for this one.
        // The names given may rename it, so what is below it is locked with it.
        const current = await lockCustomer(tx, accountId, { by: 'id', value: customer.id }, { tree: true });
        if (!current) throw new RosterError('not_found', 'This application is no longer open');
        const details = detailsPatch(current, values);
        const withDetails = { ...current, ...details } as Customer;
        return updateCustomerIn(tx, accountId, { by: 'id', value: customer.id }, { ...details, ...stepPatch(withDetails, 'submitted') });
      });
      return send(reply, 200, applicationPage(updated, values, {}));
    } catch (e) {
      if (e instanceof RosterError && e.code === 'conflict') {
        const field = e.fields[0]?.field ?? 'email';
        return send(reply, 400, applicationPage(customer, values, { [field]: `Another customer already uses this ${field.replace('_', ' ')}.` }));
      }
      if (e instanceof RosterError && e.code === 'invalid_operation') return send(reply, 409, messagePage('This application cannot be changed now', e.message));
      throw e;
    }
  });
}
