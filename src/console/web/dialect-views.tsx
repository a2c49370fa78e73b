import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';

// The record as each vendor dialect's clients receive it, side by side. One native call
// renders it through the dialects' own renderers: the console needs no vendor credentials
// (Dintero's JWT, for one) and shows exactly what those GETs answer.

interface View {
  dialect: string;
  request: string;
  status: number;
  body: unknown;
  note?: string;
}
const NAMES: Record<string, string> = { dakota: 'Dakota', spirii: 'Spirii', dintero: 'Dintero', investifi: 'InvestiFi' };

export function DialectViews({ id, version }: { id: string; version: number }) {
  const [views, setViews] = useState<View[] | null>(null);
  useEffect(() => {
    api<{ views: View[] }>('GET', `/v1/customers/${id}/dialects`).then(
      (r) => setViews(r.views),
      () => setViews([]),
    );
  }, [id, version]);
  return (
    <section aria-labelledby="dialects-title" class="dialects-section">
      <h2 id="dialects-title">As each dialect sees it</h2>
      <div class="dialects">
        {views?.map((v) => (
          <section class="card dialect" aria-labelledby={`dialect-${v.dialect}`} data-dialect={v.dialect}>
            <h3 id={`dialect-${v.dialect}`}>{NAMES[v.dialect] ?? v.dialect}</h3>
            <p class="request">
              <code>{v.request}</code> → {v.status}
            </p>
            {v.note && <p class="muted">{v.note}</p>}
            {v.body !== null && (
              <pre class="json" role="region" tabIndex={0} aria-label={`${NAMES[v.dialect]} response body`}>
                {JSON.stringify(v.body, null, 2)}
              </pre>
            )}
          </section>
        ))}
      </div>
    </section>
  );
}
