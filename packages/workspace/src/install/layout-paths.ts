/** Where installed things live inside a workspace (docs/dependencies.md). */
import { join } from 'node:path';

import type { ExtensionType } from '@provisioning/schemas';

export { EXTENSION_TYPES, type ExtensionType } from '@provisioning/schemas';

export function stateDir(workspaceRoot: string): string {
  return join(workspaceRoot, '.provisioning');
}
/** `.provisioning/extensions`: a symlink to the current generation. */
export function extensionsLink(workspaceRoot: string): string {
  return join(stateDir(workspaceRoot), 'extensions');
}
export function generationsDir(workspaceRoot: string): string {
  return join(stateDir(workspaceRoot), 'generations');
}
/** The lockfile a generation was installed with; the commit record used to repair a half-done switch. */
export const GENERATION_LOCK = '.provisioning.lock';
/**
 * The same lockfile already parsed, with the sha256 of the text it was parsed from: a no-op
 * `dep resolve --frozen` whose config/provisioning.lock has that digest skips YAML and the schema.
 */
export const GENERATION_LOCK_JSON = '.provisioning.lock.json';

export function moduleSubdir(type: ExtensionType, name: string): string {
  return join(`${type}s`, name);
}
/** `WORKSPACE/.provisioning/extensions/<type>s/<name>` — the installed module as users see it. */
export function installedModuleDir(workspaceRoot: string, type: ExtensionType, name: string): string {
  return join(extensionsLink(workspaceRoot), moduleSubdir(type, name));
}
