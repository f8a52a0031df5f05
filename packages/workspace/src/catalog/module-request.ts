/**
 * The module references the catalog resolves (`taskservs/kubernetes@^1.28`, `redis`, `etcd@3.5.10`):
 * an optional type group, a name, an optional semver range. `NAME:VERSION`, the way the CLI and the
 * config write a pinned module, means that exact version. One grammar for the API, MCP and tests.
 */
import { ProvisioningError } from '@provisioning/schemas';
import semver from 'semver';
import type { ExtensionType } from '../install/layout-paths.js';

export interface ModuleRequest {
  /** As written. */
  written: string;
  type?: ExtensionType;
  name: string;
  /** Semver range handed to the solver (`*` when none was written). */
  range: string;
}

const GROUP_TYPES: Record<string, ExtensionType> = {
  providers: 'provider',
  provider: 'provider',
  taskservs: 'taskserv',
  taskserv: 'taskserv',
  clusters: 'cluster',
  cluster: 'cluster',
};

/** Longest reference accepted: beyond it, input is refused before any parsing. */
export const MODULE_REQUEST_MAX_LENGTH = 256;
export const MODULE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

export function parseModuleRequest(written: string): ModuleRequest {
  const bad = (why: string) =>
    new ProvisioningError('REFERENCE_INVALID', `module reference "${written.slice(0, 80)}": ${why}`, {
      kind: 'input',
      hint: 'write [TYPEs/]NAME[@RANGE] or NAME:VERSION, e.g. taskservs/kubernetes@^1.28, etcd:3.5.10 or redis',
    });
  if (written.length === 0 || written.length > MODULE_REQUEST_MAX_LENGTH)
    throw bad(`must be 1 to ${MODULE_REQUEST_MAX_LENGTH} characters`);
  const { path, rangeText } = splitRange(written, bad);
  const parts = path.split('/');
  if (parts.length > 2) throw bad('at most one "/" (between the type group and the name)');
  const name = parts[parts.length - 1]!;
  let type: ExtensionType | undefined;
  if (parts.length === 2) {
    type = GROUP_TYPES[parts[0]!];
    if (!type) throw bad(`unknown type group "${parts[0]}" (providers, taskservs or clusters)`);
  }
  if (!MODULE_NAME_PATTERN.test(name)) throw bad('names use lowercase letters, digits, "_" and "-"');
  if (rangeText === '' || semver.validRange(rangeText) === null)
    throw bad(`"${rangeText}" is not a semver range`);
  return { written, name, range: rangeText, ...(type ? { type } : {}) };
}

/** `NAME@RANGE` → the range as written; `NAME:VERSION` → that exact version; `NAME` → any. */
function splitRange(
  written: string,
  bad: (why: string) => ProvisioningError,
): { path: string; rangeText: string } {
  const at = written.indexOf('@');
  if (at !== -1) return { path: written.slice(0, at), rangeText: written.slice(at + 1).trim() };
  const colon = written.lastIndexOf(':');
  if (colon === -1) return { path: written, rangeText: '*' };
  const version = written.slice(colon + 1);
  if (semver.valid(version) === null)
    throw bad(`"${version}" is not a version (NAME:VERSION pins one, e.g. etcd:3.5.10)`);
  return { path: written.slice(0, colon), rangeText: version };
}
