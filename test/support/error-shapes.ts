// Each surface's documented error body, checked the same way by the regression tests and the
// fuzz test: a function returns what is wrong with a response, or undefined when it is right.

/** The API surfaces, whose errors are JSON in each one's documented shape. */
export type Surface = 'native' | 'dakota' | 'spirii' | 'dintero' | 'investifi';
/** The pages for people (the console, hosted onboarding), whose errors are HTML pages. */
export type PageSurface = 'console' | 'onboarding';

export const PREFIXES: Record<Surface, string> = { native: '/v1', dakota: '/dakota', spirii: '/spirii', dintero: '/dintero/v1', investifi: '/investifi/v1' };
export const PAGE_PREFIXES: Record<PageSurface, string> = { console: '/console', onboarding: '/onboarding' };

/** The surface a path belongs to (the native API's for paths outside every prefix). */
export function surfaceOfPath(path: string): Surface | PageSurface {
  let best: Surface | PageSurface = 'native';
  let length = 0;
  for (const [s, p] of [...Object.entries(PREFIXES), ...Object.entries(PAGE_PREFIXES)] as [Surface | PageSurface, string][]) {
    if ((path === p || path.startsWith(p + '/')) && p.length > length) [best, length] = [s, p.length];
  }
  return best;
}

const isStr = (v: unknown) => typeof v === 'string';
const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** What is wrong with an error response's body for its surface, or undefined when it is in shape. */
export function errorShapeFault(surface: Surface | PageSurface, status: number, contentType: string | null, body: unknown): string | undefined {
  if (surface === 'console' || surface === 'onboarding') {
    if (!contentType?.startsWith('text/html')) return `content-type ${contentType} is not an HTML page`;
    if (typeof body !== 'string' || !/<title>[^<]+<\/title>/.test(body)) return `not a page with a title: ${String(body).slice(0, 200)}`;
    return undefined;
  }
  const b = obj(body);
  if (!b) return `body is not a JSON object: ${JSON.stringify(body)?.slice(0, 200)}`;
  switch (surface) {
    case 'native':
    case 'dakota': {
      if (!contentType?.startsWith('application/problem+json')) return `content-type ${contentType} is not application/problem+json`;
      if (!isStr(b.type) || !isStr(b.title) || b.status !== status) return `not an RFC 9457 problem with status ${status}: ${JSON.stringify(b).slice(0, 200)}`;
      if (surface === 'native' && !isStr(b.code)) return 'native problem without code';
      if (surface === 'dakota' && !isStr(b.request_id)) return 'Dakota problem without request_id';
      return undefined;
    }
    case 'spirii': {
      const e = obj(b.error);
      if (!e || !isStr(e.type) || !isStr(e.code) || !isStr(e.message)) return `not Spirii's {error:{type,code,message}}: ${JSON.stringify(b).slice(0, 200)}`;
      return undefined;
    }
    case 'dintero': {
      const e = obj(b.error);
      if (!e || !isStr(e.code) || !isStr(e.message)) return `not Dintero's {error:{code,message}}: ${JSON.stringify(b).slice(0, 200)}`;
      return undefined;
    }
    case 'investifi': {
      const d = b.detail;
      const ok = isStr(d) || (Array.isArray(d) && d.every((x) => obj(x) && Array.isArray(obj(x)!.loc) && isStr(obj(x)!.msg) && isStr(obj(x)!.type)));
      if (!ok || Object.keys(b).length !== 1) return `not FastAPI's {detail}: ${JSON.stringify(b).slice(0, 200)}`;
      return undefined;
    }
  }
}
