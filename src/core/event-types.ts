// The types of event Roster writes (sql/triggers/roster_*_events.sql), and what a webhook endpoint may
// subscribe to: a type, '<prefix>.*' for every type of one kind of record, or '*'.

const kinds = {
  customer: ['created', 'updated', 'deleted', 'kyb_status.updated', 'kyc_status.updated'],
  user: ['created', 'updated', 'deleted'],
  tag: ['created', 'updated', 'deleted'],
  token: ['created', 'updated', 'deleted'],
  product_account: ['created', 'updated', 'deleted', 'kyc_status.updated'],
  customer_tag: ['created', 'deleted'],
} as const;

export const EVENT_TYPES: readonly string[] = Object.entries(kinds).flatMap(([kind, acts]) => acts.map((a) => `${kind}.${a}`));

/** The types a subscription names ('customer.*' names every customer type), or undefined when it names none. */
export function expandEventType(pattern: string): string[] | undefined {
  if (pattern === '*') return ['*'];
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -1);
    const types = EVENT_TYPES.filter((t) => t.startsWith(prefix));
    return types.length ? types : undefined;
  }
  return EVENT_TYPES.includes(pattern) ? [pattern] : undefined;
}
