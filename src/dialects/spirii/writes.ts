import { RosterError } from '../../core/errors.ts';
import { listQuery } from '../../core/list-query.ts';
import type { Customer, CustomerInput } from '../../core/model.ts';
import { createCustomerIn, deleteCustomerIn, getCustomerIn, lockCustomer, updateCustomerIn, type WriteContext } from '../../store/customers-repo.ts';
import { inAccount, type Db, type Queryable } from '../../store/db.ts';
import { listIn } from '../../store/list.ts';
import type { SpiriiWrite } from './body.ts';
import { bad } from './query-values.ts';
import { locationsOf, settingsOf, type SpiriiSettings } from './render.ts';

// Spirii's writes over the canonical repositories, each in one transaction: the owner is
// resolved from its integer id, Spirii-only settings are merged into extensions.spirii, and
// the documented delete rules are checked before the soft delete.

const SETTING_FIELDS = ['contactDetails', 'billingDetails', 'payoutInformation', 'financialSetup', 'billingSettings'] as const;

async function ownerOf(tx: Queryable, accountId: string, ownerId: number): Promise<Customer> {
  const owner = await getCustomerIn(tx, accountId, { by: 'number', value: ownerId });
  if (!owner) throw bad('ownerId', `no customer with id ${ownerId}`);
  return owner;
}

function settingsPatch(current: SpiriiSettings, w: SpiriiWrite, mode: 'create' | 'update'): SpiriiSettings {
  const next: SpiriiSettings = { ...current };
  for (const f of SETTING_FIELDS) if (w[f] !== undefined) next[f] = w[f];
  // The payment method is set at creation: an update keeps the current one whatever it sends.
  if (mode === 'update' && w.billingDetails) {
    const { paymentMethod: _sent, ...rest } = w.billingDetails;
    const kept = (current.billingDetails as Record<string, unknown> | null | undefined)?.paymentMethod;
    next.billingDetails = kept === undefined ? rest : { ...rest, paymentMethod: kept };
  }
  return next;
}

function canonical(w: SpiriiWrite): CustomerInput {
  const input: CustomerInput = {};
  if (w.name !== undefined) input.name = w.name;
  if (w.externalId !== undefined) input.external_id = w.externalId;
  if (w.country !== undefined) input.country = w.country;
  if (w.type !== undefined) input.type = w.type;
  return input;
}

export function createSpiriiCustomer(db: Db, accountId: string, w: SpiriiWrite, ctx: WriteContext): Promise<Customer> {
  return inAccount(db, accountId, async (tx) => {
    const owner = await ownerOf(tx, accountId, w.ownerId!);
    return createCustomerIn(tx, accountId, { ...canonical(w), parent_id: owner.id, extensions: { spirii: settingsPatch({}, w, 'create') } }, ctx);
  });
}

export function updateSpiriiCustomer(db: Db, accountId: string, number: number, w: SpiriiWrite, ctx: WriteContext): Promise<Customer> {
  return inAccount(db, accountId, async (tx) => {
    // Locked before it is read: the settings merged below are the latest, whatever runs beside.
    // A new name, type or owner rewrites what the customers below carry: their tree is locked
    // in the same pass, with the new owner.
    const owner = w.ownerId !== undefined ? await ownerOf(tx, accountId, w.ownerId) : undefined;
    const tree = w.name !== undefined || w.type !== undefined || owner !== undefined;
    const current = await lockCustomer(tx, accountId, { by: 'number', value: number }, { tree, also: owner?.id });
    if (!current) throw new RosterError('not_found', `Customer ${number} not found`);
    const patch = canonical(w);
    if (owner && owner.id !== current.parent_id) patch.parent_id = owner.id;
    if (SETTING_FIELDS.some((f) => w[f] !== undefined)) patch.extensions = { ...current.extensions, spirii: settingsPatch(settingsOf(current), w, 'update') };
    return updateCustomerIn(tx, accountId, { by: 'id', value: current.id }, patch, ctx);
  });
}

const refused = (code: string, message: string) => new RosterError('invalid_operation', message, [{ field: 'id', message, code }]);

export function deleteSpiriiCustomer(db: Db, accountId: string, number: number, ctx: WriteContext): Promise<void> {
  return inAccount(db, accountId, async (tx) => {
    // Locked before the rules are checked, so no child can be added between check and delete.
    const current = await lockCustomer(tx, accountId, { by: 'number', value: number });
    if (!current) throw new RosterError('not_found', `Customer ${number} not found`);
    if (current.type === 'operator') throw refused('customer_is_cpo', 'A CPO customer cannot be deleted');
    if (locationsOf(current).length > 0) throw refused('customer_has_locations', 'A customer with locations cannot be deleted');
    const children = listQuery({ resource: 'customers', filter: { kind: 'childOf', parent: { by: 'id', value: current.id } }, page: { kind: 'keyset', limit: 1 } });
    if ((await listIn<Customer>(tx, accountId, children)).records.length > 0) throw refused('customer_owns_customers', 'A customer that owns other customers cannot be deleted');
    await deleteCustomerIn(tx, accountId, { by: 'id', value: current.id }, ctx);
  });
}
