// The console's only door to Roster: the native API, with the key kept in this tab's session
// storage (never in a URL, never in local storage). A 401 signs the console out.

const KEY = 'roster.apiKey';

export interface FieldError {
  field: string;
  message: string;
}
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { detail?: string; title?: string; errors?: FieldError[] } | null,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
  }
  /** The API's message for each bad field, keyed by field name. */
  get fields(): Record<string, string> {
    return Object.fromEntries((this.problem?.errors ?? []).map((e) => [e.field, e.message]));
  }
}

const listeners = new Set<() => void>();
export const onSignOut = (fn: () => void) => listeners.add(fn);

export const session = {
  key: () => sessionStorage.getItem(KEY),
  signIn: (key: string) => sessionStorage.setItem(KEY, key),
  signOut() {
    sessionStorage.removeItem(KEY);
    for (const fn of listeners) fn();
  },
};

export async function api<T>(method: string, path: string, body?: unknown, key = session.key()): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${key ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) {
    if (res.status === 401 && key === session.key()) session.signOut();
    throw new ApiError(res.status, data);
  }
  return data as T;
}

export const qs = (params: Record<string, string | undefined>) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') u.set(k, v);
  return u.toString();
};
