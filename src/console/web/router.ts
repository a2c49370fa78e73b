import { useEffect, useState } from 'preact/hooks';
import { createElement, type ComponentChildren } from 'preact';

// A small router over the History API: the URL is the view (path and query), so a view can be
// shared, bookmarked and reloaded.

export const BASE = '/console';
const subscribers = new Set<() => void>();
const notify = () => {
  for (const fn of subscribers) fn();
};
window.addEventListener('popstate', notify);

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  if (to === location.pathname + location.search) return;
  history[opts.replace ? 'replaceState' : 'pushState'](null, '', to);
  notify();
}

export function useLocation() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const fn = () => setTick((t) => t + 1);
    subscribers.add(fn);
    return () => void subscribers.delete(fn);
  }, []);
  return { path: location.pathname.slice(BASE.length) || '/', query: new URLSearchParams(location.search) };
}

export function Link(props: { href: string; children: ComponentChildren; class?: string; 'aria-current'?: 'page' }) {
  const onClick = (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.href);
  };
  return createElement('a', { ...props, onClick }, props.children);
}
