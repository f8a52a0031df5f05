/**
 * The `User-Agent` every request carries unless a `Registry` is given its own (`userAgent`).
 * An application sets it once for the process with `setDefaultUserAgent('tool/1.2.3')`; the CLI
 * sends `provisioning/VERSION`. Kept under a `Symbol.for` key on `globalThis`, so a bundled copy of
 * this package and the installed one agree, and so a caller can set it without loading the client.
 */
const KEY = Symbol.for('provisioning.oci-client.user-agent');

type WithUserAgent = typeof globalThis & { [KEY]?: string };

export function setDefaultUserAgent(value: string): void {
  (globalThis as WithUserAgent)[KEY] = value;
}

export function defaultUserAgent(): string {
  return (globalThis as WithUserAgent)[KEY] ?? 'provisioning-oci-client';
}
