/**
 * The core check (docs/dependencies.md, "Declaring modules: pins, ranges and the core"). The running CLI is the core; `dependencies.core.source` pins the
 * core release the workspace was written for (`…/provisioning-core:v3.5.0`). The CLI satisfies the
 * pin when it is that release or a later one of the same major (caret semantics: a newer minor
 * keeps compatibility, a new major does not). Extensions' `min_provisioning_version` is checked by
 * the solver itself (`coreVersion`), so it is an input to choosing versions, not an after-check.
 */
import {
  ProvisioningError,
  parseGiteaCoreSource,
  parseReference,
  versionFromTag,
  type WorkspaceConfig,
} from '@provisioning/schemas';
import semver from 'semver';

export interface CoreCheck {
  running: string;
  /** The pinned core version, when the config pins one by an OCI tag. */
  pinned?: string;
}

export function checkCoreVersion(config: WorkspaceConfig, running: string): CoreCheck {
  const source = config.dependencies.core?.source;
  if (!source) return { running };
  // `gitea://REPO:TAG` (the seed's alternative, docs/sources.md) is checked by its tag like an OCI pin
  const gitea = source.startsWith('gitea://');
  const tag = gitea ? parseGiteaCoreSource(source).tag : parseReference(source).tag;
  const pinned = tag ? versionFromTag(tag) : null;
  if (!pinned) {
    throw new ProvisioningError(
      'CORE_VERSION_INVALID',
      `dependencies.core.source: ${source} has no version tag`,
      {
        kind: 'input',
        hint: gitea
          ? 'pin the core by its release tag, e.g. gitea://provisioning-core:v3.5.0'
          : 'pin the core by version, e.g. oci://registry/provisioning-core:v3.5.0',
      },
    );
  }
  if (!semver.satisfies(running, `^${pinned}`)) {
    throw new ProvisioningError(
      'CORE_VERSION_MISMATCH',
      `this workspace pins core ${pinned} (dependencies.core.source) but you are running provisioning ${running}`,
      {
        kind: 'input',
        hint: `install provisioning ${semver.major(pinned)}.x (>= ${pinned}), or update dependencies.core.source`,
        details: { pinned, running },
      },
    );
  }
  return { running, pinned };
}
