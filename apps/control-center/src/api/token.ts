// Bearer token: taken from `#token=...` once, kept in sessionStorage (gone when the tab closes), then
// stripped from the URL so it does not linger in history or screenshots.
const KEY = 'provisioning.token';

export function captureTokenFromHash(): void {
  const match = /(?:^#|[#&])token=([^&]*)/.exec(window.location.hash);
  if (!match) return;
  sessionStorage.setItem(KEY, decodeURIComponent(match[1] ?? ''));
  const rest = window.location.hash.replace(/[#&]?token=[^&]*/, '').replace(/^#?&?/, '');
  history.replaceState(null, '', `${window.location.pathname}${window.location.search}#${rest || '/'}`);
}

export function currentToken(): string | null {
  return sessionStorage.getItem(KEY);
}
