/**
 * Names of core releases (docs/releasing.md, "Core"): the repository `provisioning-core` at the
 * registry root, tagged `vX.Y.Z`, and where an installed one lives (`$PROVISIONING_HOME/core/X.Y.Z`).
 */
import { join } from 'node:path';
import { ProvisioningError, parseReference, provisioningHome, versionFromTag } from '@provisioning/schemas';
import semver from 'semver';

export const CORE_REPOSITORY = 'provisioning-core';

/** `3.5.0` or `v3.5.0` → `3.5.0`; anything else is a usage error naming the argument. */
export function parseCoreVersion(input: string): string {
  const clean = input.startsWith('v') ? input.slice(1) : input;
  if (semver.valid(clean) !== clean) {
    throw new ProvisioningError(
      'CORE_VERSION_ARG_INVALID',
      `core version ${JSON.stringify(input.slice(0, 80))} is not a semver version`,
      { kind: 'usage', hint: 'give a version like 3.5.0 or v3.5.0 (see `provisioning core list`)' },
    );
  }
  return clean;
}

/** `REGISTRY/provisioning-core:vX.Y.Z`. */
export function defaultCoreReference(registry: string, version: string): string {
  return `${registry}/${CORE_REPOSITORY}:v${version}`;
}

/** A VERSION or a full reference (`oci://host/provisioning-core:v3.5.0`) → reference + version. */
export function coreTarget(input: string, registry: string): { reference: string; version: string } {
  if (!input.includes('/')) {
    const version = parseCoreVersion(input);
    return { reference: defaultCoreReference(registry, version), version };
  }
  const parsed = parseReference(input);
  const version = parsed.tag ? versionFromTag(parsed.tag) : null;
  if (!version) {
    throw new ProvisioningError('CORE_VERSION_ARG_INVALID', `${input} names no core version tag`, {
      kind: 'usage',
      hint: 'name the release, e.g. oci://registry/provisioning-core:v3.5.0',
    });
  }
  return { reference: input.replace(/^oci:\/\//, ''), version };
}

/** `$PROVISIONING_HOME/core`: installed cores, one directory per version, and `default.json`. */
export function coreHome(env: NodeJS.ProcessEnv = process.env): string {
  return join(provisioningHome(env), 'core');
}

export function installedCoreDir(version: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(coreHome(env), version);
}
