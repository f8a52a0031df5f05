/**
 * The distribution-spec / distribution/reference grammar pieces, each answering "why not?" so the
 * parser can say precisely what is wrong (a `null` answer means valid).
 */

/** distribution/reference NameTotalLengthMax: registry + "/" + path, as written. */
export const NAME_TOTAL_LENGTH_MAX = 255;
export const TAG_LENGTH_MAX = 128;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const DOMAIN_NAME =
  /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/;
const IPV6_BRACKETED = /^\[[0-9a-fA-F:]+\]$/;

export function pathComponentProblem(component: string): string | null {
  if (component === '') return 'empty path component (a "/" too many)';
  if (component !== component.toLowerCase()) {
    return `repository name must be lowercase ("${component}" has uppercase letters)`;
  }
  if (!PATH_COMPONENT.test(component)) {
    return `invalid path component "${component}": use lowercase letters and digits separated by ".", "_", "__" or "-"`;
  }
  return null;
}

/** Problem with a repository path such as `provisioning-extensions/kubernetes` (no registry). */
export function repositoryProblem(repository: string): string | null {
  if (repository === '') return 'empty repository name';
  for (const component of repository.split('/')) {
    const problem = pathComponentProblem(component);
    if (problem !== null) return problem;
  }
  if (repository.length > NAME_TOTAL_LENGTH_MAX) {
    return `repository name too long (${repository.length} characters, at most ${NAME_TOTAL_LENGTH_MAX})`;
  }
  return null;
}

export function tagProblem(tag: string): string | null {
  if (tag === '') return 'empty tag after ":"';
  if (!TAG.test(tag)) {
    return `invalid tag "${tag}": use letters, digits, "_", "." and "-", not starting with "." or "-"`;
  }
  if (tag.length > TAG_LENGTH_MAX)
    return `tag too long (${tag.length} characters, at most ${TAG_LENGTH_MAX})`;
  return null;
}

function portProblem(port: string, registry: string): string | null {
  if (port === '') return `registry "${registry}" has an empty port after ":"`;
  if (!/^[0-9]+$/.test(port)) return `registry "${registry}" has a bad port "${port}" (digits only)`;
  const value = Number(port);
  if (value < 1 || value > 65535) return `registry "${registry}" has a bad port ${port} (1-65535)`;
  return null;
}

/** Problem with a registry `host[:port]`: a DNS name, IPv4 address or bracketed IPv6 address. */
export function registryProblem(registry: string): string | null {
  if (registry === '') return 'empty registry host';
  let host = registry;
  let port: string | undefined;
  if (registry.startsWith('[')) {
    const close = registry.indexOf(']');
    if (close === -1) return `registry "${registry}" has an unclosed "[" (IPv6 address)`;
    host = registry.slice(0, close + 1);
    const rest = registry.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return `registry "${registry}" has text after the IPv6 address`;
      port = rest.slice(1);
    }
    if (!IPV6_BRACKETED.test(host)) {
      return `registry "${registry}" has an invalid IPv6 address (hex digits and ":" only, no zone)`;
    }
  } else {
    const colon = registry.indexOf(':');
    if (colon !== -1) {
      host = registry.slice(0, colon);
      port = registry.slice(colon + 1);
    }
    if (host === '') return `registry "${registry}" has no host before ":"`;
    if (!DOMAIN_NAME.test(host)) {
      return `invalid registry host "${host}": use letters, digits, "-" and "." (no "_", no leading or trailing "-")`;
    }
  }
  return port === undefined ? null : portProblem(port, registry);
}

/**
 * Docker's rule: the first of several components is a registry iff it has `.` or `:`, is
 * `localhost` or has uppercase (docs/configuration.md, "Registry names").
 */
export function looksLikeRegistry(component: string): boolean {
  return (
    component.includes('.') ||
    component.includes(':') ||
    component === 'localhost' ||
    component !== component.toLowerCase()
  );
}

/** What a refused registry name is told: the rule, and the ways to satisfy it. */
export const REGISTRY_NAME_HINT =
  'name the registry as references name it: with its domain or its port, or localhost for this machine';

/**
 * Problem with a registry the user configures as a default (config `registry` / `endpoint`,
 * `PROVISIONING_REGISTRY`, `--registry`): a valid `host[:port]` that a formatted reference also
 * reads back as a registry. `myreg` is refused: `myreg/ns/redis:1.0.0` reads as repository
 * `myreg/ns/redis` on the default registry. Hosts are compared lower-cased, as they are stored.
 */
export function configuredRegistryProblem(registry: string): string | null {
  const problem = registryProblem(registry);
  if (problem !== null) return problem;
  if (looksLikeRegistry(registry.toLowerCase())) return null;
  return `registry "${registry}" would read as a namespace in "${registry}/NAMESPACE/NAME": a registry host must contain "." or ":" or be localhost (e.g. ${registry}.example.com, ${registry}:5000)`;
}

export function isValidTag(tag: string): boolean {
  return tagProblem(tag) === null;
}

export function isValidRepository(repository: string): boolean {
  return repositoryProblem(repository) === null;
}

export function isValidPathComponent(component: string): boolean {
  return pathComponentProblem(component) === null;
}

export function isValidRegistry(registry: string): boolean {
  return registryProblem(registry) === null;
}

export function isValidConfiguredRegistry(registry: string): boolean {
  return configuredRegistryProblem(registry) === null;
}
