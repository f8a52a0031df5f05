import semver from 'semver';
import { digestProblem } from './digest.js';
import { ProvisioningError } from './errors.js';
import {
  configuredRegistryProblem,
  looksLikeRegistry,
  NAME_TOTAL_LENGTH_MAX,
  pathComponentProblem,
  REGISTRY_NAME_HINT,
  registryProblem,
  repositoryProblem,
  tagProblem,
} from './reference-grammar.js';

/** A fully qualified OCI reference: registry and repository always present, tag and/or digest optional. */
export interface OciReference {
  /** `host[:port]`, e.g. `localhost:5000`, `harbor.company.com`, `[::1]:5000`. */
  registry: string;
  /** Repository path without the registry, e.g. `provisioning-extensions/kubernetes`. */
  repository: string;
  tag?: string;
  digest?: string;
  /**
   * Set when the reference was written `https://…` or `http://…`: the scheme to talk to this
   * registry with (docs/oci.md, "TLS and plain HTTP"). Never part of the formatted reference.
   */
  scheme?: 'https' | 'http';
}

/** What a short reference (`name:tag`, `ns/name:tag`) expands with. */
export interface ReferenceDefaults {
  registry: string;
  /** Prepended to single-component names; may contain `/` (Harbor: `provisioning/extensions`); `''` for none. */
  namespace: string;
}

export const DEFAULT_REGISTRY = 'localhost:5000';

export const DEFAULT_NAMESPACES = {
  extensions: 'provisioning-extensions',
  platform: 'provisioning-platform',
  kcl: 'provisioning-kcl',
  test: 'provisioning-test',
} as const;

const OCI_SCHEME = 'oci://';
/** Schemes a full reference may start with; `https://` and `http://` also choose the transport. */
const REFERENCE_SCHEMES = new Set(['oci', 'https', 'http']);
export const MAX_REFERENCE_LENGTH = 1024;
const REFERENCE_HINT =
  'write NAME:VERSION, REGISTRY/NAMESPACE/NAME:TAG, or oci://REGISTRY/NAMESPACE/NAME:TAG (also https:// or http://; optionally @sha256:DIGEST)';

function invalid(input: string, reason: string, hint = REFERENCE_HINT): ProvisioningError {
  const shown = withoutUserinfo(input);
  return new ProvisioningError('REFERENCE_INVALID', `invalid reference ${JSON.stringify(shown)}: ${reason}`, {
    kind: 'input',
    hint,
    details: { reference: shown, reason },
  });
}

/** `sha256:…` after an `@` is a digest; anything else after an `@` means the text before it was userinfo. */
const DIGEST_AFTER_AT = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]*$/;

/**
 * The input as an error may show it. Userinfo is `user:password@` right after the scheme (a colon
 * before the first `@`, no `/`); then whatever stands before the last `@` that does not start a
 * digest becomes `***` (passwords may hold `@`). Every error of the parser goes through here, so no
 * message, hint or detail echoes a password.
 */
export function withoutUserinfo(input: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(input)?.[0] ?? '';
  const rest = input.slice(scheme.length);
  const head = rest.slice(0, Math.max(0, rest.indexOf('@')));
  if (!head.includes(':') || head.includes('/')) return input;
  let at = rest.lastIndexOf('@');
  if (DIGEST_AFTER_AT.test(rest.slice(at + 1))) at = rest.lastIndexOf('@', at - 1);
  return at === -1 ? input : `${scheme}***${rest.slice(at)}`;
}

/**
 * Parses every reference form the project accepts (docs/configuration.md):
 * `oci://host[:port]/ns/name:tag`, `oci://…/name@sha256:…`, `host/ns/name:tag[@digest]`, `host:port/name`,
 * and the short `name[:tag]` / `ns/name[:tag]` which get the default registry (and, for a single
 * component, the default extensions namespace). After `oci://`, `https://` or `http://` the first
 * component is always the registry, as in a URL; `https://`/`http://` also set `scheme`. Throws `REFERENCE_INVALID` (kind input) naming the input and the reason.
 */
export function parseReference(input: string, defaults: Partial<ReferenceDefaults> = {}): OciReference {
  if (typeof input !== 'string') throw invalid(String(input), 'a reference must be a string');
  if (input === '') throw invalid(input, 'empty reference');
  // Longer than any valid reference (scheme + host + 255-char path + tag + sha512 digest): stop early.
  if (input.length > MAX_REFERENCE_LENGTH) {
    throw invalid(
      `${withoutUserinfo(input).slice(0, 40)}...`,
      `reference too long (${input.length} characters, at most ${MAX_REFERENCE_LENGTH})`,
    );
  }
  if (/\s/.test(input)) throw invalid(input, 'reference contains whitespace');

  let rest = input;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(input);
  const hasScheme = scheme !== null;
  const schemeName = scheme?.[1]?.toLowerCase() ?? '';
  if (scheme !== null) {
    if (!REFERENCE_SCHEMES.has(schemeName)) {
      throw invalid(input, `unsupported scheme "${scheme[0]}" (use oci://, https:// or http://)`);
    }
    rest = input.slice(scheme[0].length);
    if (rest === '') throw invalid(input, `${scheme[0]} without registry and repository`);
  }

  let digest: string | undefined;
  const at = rest.indexOf('@');
  // A digest never contains "/", and `user:password@` has a colon before its "@": credentials.
  if (at !== -1 && (rest.includes('/', at) || withoutUserinfo(rest) !== rest)) {
    throw invalid(
      input,
      'references cannot carry credentials',
      'remove "user:password@" and log in with `provisioning oci login REGISTRY --password-stdin`',
    );
  }
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const problem = digestProblem(digest);
    if (problem !== null) throw invalid(input, `bad digest: ${problem}`);
  }

  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
  }
  const name = rest;
  if (name === '') throw invalid(input, 'missing repository name');

  const components = name.split('/');
  let registry: string | undefined;
  if (hasScheme) {
    if (components.length < 2) {
      throw invalid(
        input,
        `${scheme![0]} without registry ("${name}" is only a repository name)`,
        `write ${scheme![0]}REGISTRY/NAMESPACE/${name}${tag === undefined ? '' : `:${tag}`}, or drop ${scheme![0]} to use the default registry`,
      );
    }
    registry = components.shift();
  } else if (components.length > 1 && looksLikeRegistry(components[0]!)) {
    registry = components.shift();
  }

  if (registry !== undefined) {
    const problem = registryProblem(registry);
    if (problem !== null) throw invalid(input, problem);
  }
  for (const component of components) {
    const problem = pathComponentProblem(component);
    if (problem !== null) throw invalid(input, problem);
  }
  if (tag !== undefined) {
    const problem = tagProblem(tag);
    if (problem !== null) throw invalid(input, problem);
  }

  let repository = components.join('/');
  if (registry === undefined) {
    registry = defaults.registry ?? DEFAULT_REGISTRY;
    const registryIssue = configuredRegistryProblem(registry);
    if (registryIssue !== null) {
      throw invalid(input, `default registry is invalid: ${registryIssue}`, REGISTRY_NAME_HINT);
    }
    if (components.length === 1) {
      const namespace = defaults.namespace ?? DEFAULT_NAMESPACES.extensions;
      if (namespace !== '') {
        const namespaceIssue = repositoryProblem(namespace);
        if (namespaceIssue !== null) throw invalid(input, `default namespace is invalid: ${namespaceIssue}`);
        repository = `${namespace}/${repository}`;
      }
    }
  }

  // Like distribution/reference, the limit is on the path the registry sees, not on the host.
  if (repository.length > NAME_TOTAL_LENGTH_MAX) {
    throw invalid(
      input,
      `repository name too long (${repository.length} characters, at most ${NAME_TOTAL_LENGTH_MAX})`,
    );
  }

  const ref: OciReference = { registry, repository };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  if (schemeName === 'https' || schemeName === 'http') ref.scheme = schemeName;
  return ref;
}

/**
 * `registry/repository[:tag][@digest]`, with `oci://` in front when `scheme` is set, and also when
 * the registry has no `.` or `:` and is not `localhost` (`oci://registry/ns/name`, as the
 * architecture document writes it): without the scheme it would read back as a repository on the
 * default registry. So `parseReference(formatReference(ref))` always gives `ref` back.
 */
export function formatReference(ref: OciReference, opts: { scheme?: boolean } = {}): string {
  let out = `${ref.registry}/${ref.repository}`;
  if (ref.tag !== undefined) out += `:${ref.tag}`;
  if (ref.digest !== undefined) out += `@${ref.digest}`;
  return opts.scheme === true || !looksLikeRegistry(ref.registry) ? OCI_SCHEME + out : out;
}

/** `registry/repository`, the name without tag or digest. */
export function referenceName(ref: Pick<OciReference, 'registry' | 'repository'>): string {
  return `${ref.registry}/${ref.repository}`;
}

/** The last repository path component: the extension name for `…/provisioning-extensions/kubernetes`. */
export function repositoryBasename(ref: Pick<OciReference, 'repository'>): string {
  const slash = ref.repository.lastIndexOf('/');
  return slash === -1 ? ref.repository : ref.repository.slice(slash + 1);
}

/** The semver version a tag names (`1.28.0` → `1.28.0`, `v3.5.0` → `3.5.0`), or `null` (`latest`). */
export function versionFromTag(tag: string): string | null {
  const bare = tag.startsWith('v') ? tag.slice(1) : tag;
  // semver itself also strips `v`/`=` prefixes: insist on a digit so `vv1.0.0` and `=1.0.0` stay non-versions.
  if (!/^[0-9]/.test(bare)) return null;
  const parsed = semver.parse(bare);
  return parsed !== null && parsed.raw === bare ? parsed.version : null;
}
