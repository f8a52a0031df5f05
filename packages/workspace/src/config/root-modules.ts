/**
 * The workspace's root requirements: one per module reference in
 * `dependencies.extensions.modules.{providers,taskservs,clusters}`.
 *
 * A root reference's tag is an exact pin (`kubernetes:1.28.0` means 1.28.0, as the seed's examples
 * read); a reference without a tag accepts any version. Transitive dependencies float within their
 * ranges and are pinned by the lockfile. `dep update NAME` moves a root by rewriting its tag.
 */
import {
  type GitModuleReference,
  isGitModuleReference,
  type OciReference,
  ProvisioningError,
  parseGitModuleReference,
  parseReference,
  repositoryBasename,
  versionFromTag,
  type WorkspaceConfig,
} from '@provisioning/schemas';
import type { ExtensionType } from '../install/layout-paths.js';

export interface RootModule {
  name: string;
  type: ExtensionType;
  /** The reference as written in the config. */
  written: string;
  /**
   * The OCI reference; for a git module (`git+https://…`, `gitea://…`) the one it has once
   * published to the default registry, which is what the lockfile records.
   */
  reference: OciReference;
  /** Set for a git module reference (docs/sources.md, "Git sources"). */
  git?: GitModuleReference;
  /** Exact version pinned by the tag, or undefined for an untagged reference. */
  version?: string;
  /** Requirement handed to the solver. */
  range: string;
}

const GROUPS: [key: 'providers' | 'taskservs' | 'clusters', type: ExtensionType][] = [
  ['providers', 'provider'],
  ['taskservs', 'taskserv'],
  ['clusters', 'cluster'],
];

export function rootModules(
  config: WorkspaceConfig,
  defaults: { registry: string; namespace: string },
): RootModule[] {
  const modules = config.dependencies.extensions?.modules ?? {};
  const roots: RootModule[] = [];
  const seen = new Map<string, RootModule>();
  for (const [key, type] of GROUPS) {
    for (const written of modules[key] ?? []) {
      const where = `dependencies.extensions.modules.${key}`;
      if (isGitModuleReference(written)) {
        const git = parseGitModuleReference(written);
        const previous = seen.get(git.name);
        if (previous) throw duplicate(where, git.name, previous.written, written);
        const root: RootModule = {
          name: git.name,
          type,
          written,
          reference: parseReference(`${git.name}${git.version ? `:${git.version}` : ''}`, defaults),
          git,
          range: git.version ?? '*',
          ...(git.version ? { version: git.version } : {}),
        };
        seen.set(git.name, root);
        roots.push(root);
        continue;
      }
      const reference = parseReference(written, defaults);
      const name = repositoryBasename(reference);
      if (reference.digest !== undefined) {
        throw new ProvisioningError(
          'REFERENCE_UNSUPPORTED',
          `${where}: ${written} pins a digest; modules are pinned by version tag`,
          {
            kind: 'input',
            hint: `write ${name}:VERSION; the lockfile records the digest`,
          },
        );
      }
      let version: string | undefined;
      if (reference.tag !== undefined) {
        version = versionFromTag(reference.tag) ?? undefined;
        if (version === undefined) {
          throw new ProvisioningError(
            'REFERENCE_NOT_VERSION',
            `${where}: the tag of ${written} is not a semver version`,
            {
              kind: 'input',
              hint: `extension tags are versions such as 1.28.0; see \`provisioning oci tags ${name}\``,
            },
          );
        }
      }
      const previous = seen.get(name);
      if (previous) throw duplicate(where, name, previous.written, written);
      const root: RootModule = {
        name,
        type,
        written,
        reference,
        range: version ?? '*',
        ...(version ? { version } : {}),
      };
      seen.set(name, root);
      roots.push(root);
    }
  }
  return roots;
}

function duplicate(where: string, name: string, first: string, second: string): ProvisioningError {
  return new ProvisioningError(
    'MODULE_DUPLICATE',
    `${where}: ${name} is listed twice (${first} and ${second})`,
    {
      kind: 'input',
      hint: 'keep one entry per module',
    },
  );
}

/** `oci://host/ns/name:1.28.0` with the tag replaced, keeping the way it was written. */
export function rewriteTag(written: string, version: string): string {
  if (isGitModuleReference(written)) {
    // git references carry the version in the fragment: `…#NAME:VERSION`
    const git = parseGitModuleReference(written);
    const hash = written.indexOf('#');
    return `${hash === -1 ? written : written.slice(0, hash)}#${git.name}:${version}`;
  }
  const at = written.lastIndexOf(':');
  const slash = written.lastIndexOf('/');
  if (at > slash && at > written.indexOf('://') + 2) return `${written.slice(0, at + 1)}${version}`;
  return `${written}:${version}`;
}
