/**
 * Names of the workspace's state directory (`.provisioning/`) and what it holds, with no import
 * beyond `node:path`: the no-op answer replay (`@provisioning/workspace/noop-answers`) runs before
 * any library is loaded and must find these without loading the schemas.
 */
import { join } from 'node:path';

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
/** Held by a run that changes the workspace (workspace-lock.ts). */
export function workspaceLockPath(workspaceRoot: string): string {
  return join(stateDir(workspaceRoot), '.lock');
}
/** A `dep rollback` in flight (rollback-marker.ts). */
export function rollbackMarkerPath(workspaceRoot: string): string {
  return join(stateDir(workspaceRoot), 'rollback.json');
}
/** The lockfile a generation was installed with; the commit record used to repair a half-done switch. */
export const GENERATION_LOCK = '.provisioning.lock';
/**
 * The same lockfile already parsed, with the sha256 of the text it was parsed from: a no-op
 * `dep resolve --frozen` whose config/provisioning.lock has that digest skips YAML and the schema.
 */
export const GENERATION_LOCK_JSON = '.provisioning.lock.json';
