import type { Customer } from '../core/model.ts';
import { renderCustomer as dakota } from './dakota/render.ts';
import { customerIdOf, renderCustomer as dintero } from './dintero/render.ts';
import { toPartnerUser } from './investifi/render.ts';
import { renderCustomer as spirii } from './spirii/render.ts';

// One customer as each vendor dialect's client receives it from that dialect's own GET: the same
// renderers the dialects answer with, so the console's side-by-side view cannot drift from them.

export interface DialectView {
  dialect: 'dakota' | 'spirii' | 'dintero' | 'investifi';
  /** The request a client of that vendor makes for this record, relative to Roster's root. */
  request: string;
  status: number;
  body: unknown;
  /** Why there is no record, when status is not 200. */
  note?: string;
}

export function dialectViews(c: Customer, accountId: string): DialectView[] {
  const gone = c.deleted_at ? 'deleted records are not served by single-record GETs' : undefined;
  const view = (dialect: DialectView['dialect'], request: string, body: () => unknown, missing?: string): DialectView =>
    gone || missing ? { dialect, request, status: 404, body: null, note: gone ?? missing } : { dialect, request, status: 200, body: body() };
  return [
    view('dakota', `GET /dakota/customers/${c.id}`, () => dakota(c)),
    view('spirii', `GET /spirii/v2/customers/${c.number}`, () => spirii(c)),
    view('dintero', `GET /dintero/v1/accounts/${accountId}/customers/users/${encodeURIComponent(customerIdOf(c))}`, () => dintero(c)),
    view(
      'investifi',
      `GET /investifi/v1/users/${encodeURIComponent(c.external_id ?? c.id)}/`,
      () => toPartnerUser(c),
      c.product_accounts.length === 0 ? 'InvestiFi lists only customers holding product accounts' : undefined,
    ),
  ];
}
