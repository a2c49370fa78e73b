import type { CustomerInput } from '../../core/model.ts';
import { checkCustomerInput, identity, isObject, LineError, type ImportRow } from '../../import/import-row.ts';
import { parseWrite } from './body.ts';
import { SETTINGS } from './render.ts';
import { SPIRII_TYPES, TYPE_IN, matchEnum } from './types.ts';

// A Spirii v2 customer (what GET /spirii/v2/customers returns) as an import line: its fields are
// checked as Spirii's PUT checks them, its settings kept in extensions.spirii as its writes keep
// them, its integer id kept as the record's number (when free) and its owner found by number.
// A record is matched by its externalId, else by its number.

export function spiriiRecord(raw: unknown): ImportRow {
  if (!isObject(raw)) throw new LineError('a line must be a JSON object');
  const type = typeof raw.type === 'string' ? matchEnum(SPIRII_TYPES, raw.type) : undefined;
  if (!type) throw new LineError(`type: must be one of ${SPIRII_TYPES.join(', ')}`);
  let w: ReturnType<typeof parseWrite>;
  try {
    w = parseWrite({ ...raw, ownerId: undefined }, 'update');
  } catch (e) {
    throw new LineError((e as Error).message);
  }
  const owner = raw.owner;
  if (owner !== undefined && owner !== null && (!isObject(owner) || typeof owner.id !== 'number')) throw new LineError('owner: must be null or {id, name}');
  if (raw.locations !== undefined && (!Array.isArray(raw.locations) || raw.locations.some((l) => typeof l !== 'number'))) throw new LineError('locations: must be an array of numbers');
  const spirii: Record<string, unknown> = {};
  for (const s of SETTINGS) if (raw[s] !== undefined) spirii[s] = raw[s];
  const input: CustomerInput = { type: TYPE_IN[type], extensions: { spirii } };
  if (w.name !== undefined) input.name = w.name;
  if (w.externalId !== undefined && w.externalId !== null) input.external_id = w.externalId;
  if (w.country !== undefined) input.country = w.country;
  checkCustomerInput(input);
  return { input, ...identity({ number: raw.id, created_at: raw.createdAt }), ...(isObject(owner) ? { parentNumber: owner.id as number } : {}) };
}
