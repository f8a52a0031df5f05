/**
 * Origins (scheme + host + port) decide where credentials may go: oras-go GHSA-vh4v-2xq2-g5cg
 * leaked `Authorization` to another *port* of the same host, so ports count.
 */
export function originOf(url: string | URL): string {
  return (typeof url === 'string' ? new URL(url) : url).origin;
}

export function sameOrigin(a: string | URL, b: string | URL): boolean {
  return originOf(a) === originOf(b);
}

/** `localhost`, `127.0.0.0/8` and `::1`, with or without a port. */
export function isLoopbackHost(host: string): boolean {
  let hostname = host;
  if (hostname.startsWith('[')) hostname = hostname.slice(1, hostname.indexOf(']'));
  else if (hostname.split(':').length === 2) hostname = hostname.split(':')[0]!;
  hostname = hostname.toLowerCase();
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/**
 * Base URL of a registry host. Plain HTTP only when asked, or by default for loopback hosts
 * (docs/configuration.md); everything else is HTTPS.
 */
export function registryBaseUrl(host: string, plainHttp?: boolean): URL {
  const http = plainHttp ?? isLoopbackHost(host);
  // Docker Hub's references say docker.io; its API lives on registry-1.docker.io.
  const apiHost = host === 'docker.io' || host === 'index.docker.io' ? 'registry-1.docker.io' : host;
  return new URL(`${http ? 'http' : 'https'}://${apiHost}`);
}
