import { useState } from 'preact/hooks';

/** A secret shown once, with a copy button: it is in no URL and leaves with this view. */
export function CopyOnce({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(value).catch(() => {});
    setCopied(true);
  };
  return (
    <div class="secret" role="region" aria-label={label}>
      <p>{label}</p>
      <code class="secret-value" tabIndex={0}>
        {value}
      </code>
      <button type="button" onClick={copy}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
