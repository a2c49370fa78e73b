// Display helpers: dates in the reader's locale, statuses as words.

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—');
export const words = (v: string | null | undefined) => (v ? v.replaceAll('_', ' ') : '—');
export const displayName = (c: { name: string | null; first_name: string | null; last_name: string | null }) => c.name || [c.first_name, c.last_name].filter(Boolean).join(' ') || '(no name)';
