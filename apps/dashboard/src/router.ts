import { useSyncExternalStore, type MouseEvent } from 'react';

// Two views and their query strings do not need a router library: the API serves
// index.html for every path under /dashboard/, and this reads the path back.

const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');
const NAVIGATED = 'quorum:navigated';

export type Route = { view: 'accounts'; search: URLSearchParams } | { view: 'account'; id: string };

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

const currentHref = () => window.location.pathname + window.location.search;

export function parseRoute(pathname: string, search: string): Route {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const account = /^\/accounts\/([^/]+)\/?$/.exec(path);
  if (account) return { view: 'account', id: decodeURIComponent(account[1]!) };
  return { view: 'accounts', search: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const href = useSyncExternalStore(subscribe, currentHref);
  const url = new URL(href, window.location.origin);
  return parseRoute(url.pathname, url.search);
}

/** `to` is relative to the dashboard: `/`, `/?tier=HOT`, `/accounts/<id>`. */
export function hrefOf(to: string): string {
  return BASE + to;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', hrefOf(to));
  else window.history.pushState(null, '', hrefOf(to));
  window.dispatchEvent(new Event(NAVIGATED));
}

/** onClick for an <a href={hrefOf(to)}>: stays in the page unless opening a new tab. */
export function followLink(to: string) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    navigate(to);
    window.scrollTo(0, 0);
  };
}
