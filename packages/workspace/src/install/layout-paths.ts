/** Where installed things live inside a workspace (docs/dependencies.md). */
import { join } from 'node:path';
import type { ExtensionType } from '@provisioning/schemas';
import { extensionsLink } from './state-paths.js';

export { EXTENSION_TYPES, type ExtensionType } from '@provisioning/schemas';
export {
  extensionsLink,
  GENERATION_LOCK,
  GENERATION_LOCK_JSON,
  generationsDir,
  stateDir,
} from './state-paths.js';

export function moduleSubdir(type: ExtensionType, name: string): string {
  return join(`${type}s`, name);
}
/** `WORKSPACE/.provisioning/extensions/<type>s/<name>` — the installed module as users see it. */
export function installedModuleDir(workspaceRoot: string, type: ExtensionType, name: string): string {
  return join(extensionsLink(workspaceRoot), moduleSubdir(type, name));
}
