import { ProvisioningError } from './errors.js';
import { isValidPathComponent } from './reference-grammar.js';

/**
 * Module references that name a git repository instead of an OCI repository (docs/sources.md,
 * "Git sources"):
 *
 * - `git+https://HOST/PATH[#NAME[:VERSION]]`, `git+ssh://[USER@]HOST/PATH[#…]` (also `git+http://`
 *   and `git+git://`, meant for loopback and `git daemon`);
 * - `gitea://REPOSITORY[#NAME[:VERSION]]`, resolved against `dependencies.extensions.gitea.url`.
 *
 * Without `#NAME` the module is named after the repository's last path component (`.git`
 * stripped). The version, when given, is an exact pin as a tag is in an OCI reference. URLs never
 * carry passwords: git's credential helpers supply them.
 */
export interface GitModuleReference {
  /** The reference as written. */
  written: string;
  /** `gitea` for `gitea://REPOSITORY`, else the transport (`https`, `http`, `ssh`, `git`). */
  scheme: 'gitea' | GitTransport;
  /** The URL handed to git (`https://…`); for `gitea://` the repository path to join to the configured URL. */
  location: string;
  name: string;
  version?: string;
}

export type GitTransport = 'https' | 'http' | 'ssh' | 'git';

const GIT_SCHEME = /^git\+(https|http|ssh|git):\/\//;
const VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** Does `value` look like a git module reference (so that it is parsed as one)? */
export function isGitModuleReference(value: string): boolean {
  return GIT_SCHEME.test(value) || value.startsWith('gitea://');
}

export function parseGitModuleReference(written: string): GitModuleReference {
  if (/\s/.test(written)) throw invalid(written, 'it contains whitespace');
  const hash = written.indexOf('#');
  const base = hash === -1 ? written : written.slice(0, hash);
  const fragment = hash === -1 ? undefined : written.slice(hash + 1);
  let scheme: GitModuleReference['scheme'];
  let location: string;
  let pathPart: string;
  if (base.startsWith('gitea://')) {
    scheme = 'gitea';
    location = base.slice('gitea://'.length).replace(/\/+$/, '');
    if (location === '') throw invalid(written, 'gitea:// needs a repository, e.g. gitea://org/extensions');
    if (!isRepositoryPath(location)) {
      throw invalid(written, `"${location}" is not a repository path (org/name)`);
    }
    pathPart = location;
  } else {
    const match = GIT_SCHEME.exec(base);
    if (!match) throw invalid(written, 'use git+https://, git+ssh://, git+http://, git+git:// or gitea://');
    scheme = match[1] as GitTransport;
    location = base.slice('git+'.length);
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      throw invalid(written, 'the repository URL does not parse');
    }
    if (url.password !== '' || (url.username !== '' && scheme !== 'ssh')) {
      throw invalid(
        written,
        'references cannot carry credentials; git credential helpers supply them (docs/sources.md)',
      );
    }
    if (url.search !== '') throw invalid(written, 'a repository URL takes no query');
    if (url.hostname === '') throw invalid(written, 'the repository URL has no host');
    pathPart = decodeURIComponent(url.pathname).replace(/\/+$/, '');
    if (pathPart === '' || pathPart === '/') throw invalid(written, 'the repository URL has no path');
  }
  let name: string;
  let version: string | undefined;
  if (fragment === undefined || fragment === '') {
    name = pathPart
      .split('/')
      .filter(Boolean)
      .pop()!
      .replace(/\.git$/, '');
  } else {
    const colon = fragment.indexOf(':');
    name = colon === -1 ? fragment : fragment.slice(0, colon);
    if (colon !== -1) {
      version = fragment.slice(colon + 1);
      if (!VERSION.test(version)) {
        throw invalid(written, `"${version}" is not a semver version (e.g. #${name}:1.0.0)`);
      }
      version = version.replace(/^v/, '');
    }
  }
  if (!isValidPathComponent(name)) {
    throw invalid(
      written,
      `"${name}" is not an extension name (lowercase letters, digits, ".", "_", "-"); name it with #NAME`,
    );
  }
  return { written, scheme, location, name, ...(version === undefined ? {} : { version }) };
}

/** `gitea://REPOSITORY[:TAG]` of `dependencies.core.source`: the repository and the tag. */
export function parseGiteaCoreSource(value: string): { repository: string; tag?: string } {
  const rest = value.slice('gitea://'.length);
  const colon = rest.lastIndexOf(':');
  const repository = colon === -1 ? rest : rest.slice(0, colon);
  const tag = colon === -1 ? undefined : rest.slice(colon + 1);
  if (repository === '' || !isRepositoryPath(repository)) {
    throw invalid(value, 'write gitea://REPOSITORY:TAG, e.g. gitea://provisioning-core:v3.5.0');
  }
  if (tag !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(tag)) {
    throw invalid(value, `"${tag}" is not a valid tag`);
  }
  return { repository, ...(tag === undefined ? {} : { tag }) };
}

function redact(value: string): string {
  return value.replace(/\/\/[^/@]*@/, '//***@');
}

/** A repository path on a git server: `org/name`, no empty or dot-only segments. */
export function isRepositoryPath(value: string): boolean {
  return value.split('/').every((segment) => /^[A-Za-z0-9._-]+$/.test(segment) && !/^\.+$/.test(segment));
}

function invalid(written: string, why: string): ProvisioningError {
  const shown = redact(written);
  return new ProvisioningError('REFERENCE_INVALID', `invalid git module reference "${shown}": ${why}`, {
    kind: 'input',
    hint: 'write git+https://HOST/PATH.git#NAME:VERSION, git+ssh://git@HOST/PATH.git#NAME:VERSION or gitea://REPOSITORY#NAME:VERSION',
    details: { reference: shown },
  });
}
