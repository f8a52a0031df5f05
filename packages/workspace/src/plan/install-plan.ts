/**
 * What an install changes, module by module, in install order (dependencies first): compared with
 * the lockfile of the generation installed now.
 */
import type { Lockfile } from '@provisioning/schemas';
import semver from 'semver';

export type PlanAction = 'install' | 'upgrade' | 'downgrade' | 'reinstall' | 'keep' | 'remove';

export interface PlanEntry {
  name: string;
  type: string;
  version: string;
  previous?: string;
  action: PlanAction;
  source: string;
  reference: string;
  /** Where a git-sourced module comes from (docs/sources.md, "Git sources"). */
  git?: { url: string; tag: string; commit: string };
}

type LockedModule = Lockfile['modules'][string];

export function planInstall(order: string[], next: Lockfile, installed: Lockfile | undefined): PlanEntry[] {
  const entries: PlanEntry[] = [];
  for (const name of order) {
    const mod = next.modules[name]!;
    const before = installed?.modules[name];
    entries.push({
      name,
      type: mod.type,
      version: mod.version,
      ...(before ? { previous: before.version } : {}),
      action: actionFor(mod, before),
      source: mod.source,
      reference: mod.reference,
      ...(mod.git ? { git: mod.git } : {}),
    });
  }
  for (const [name, before] of Object.entries(installed?.modules ?? {}).sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    if (next.modules[name]) continue;
    entries.push({
      name,
      type: before.type,
      version: before.version,
      previous: before.version,
      action: 'remove',
      source: before.source,
      reference: before.reference,
    });
  }
  return entries;
}

function actionFor(mod: LockedModule, before: LockedModule | undefined): PlanAction {
  if (!before) return 'install';
  if (before.version !== mod.version) return semver.gt(mod.version, before.version) ? 'upgrade' : 'downgrade';
  if (before.manifest_digest !== mod.manifest_digest || before.layer_digest !== mod.layer_digest)
    return 'reinstall';
  return 'keep';
}

export function planChangesAnything(plan: PlanEntry[]): boolean {
  return plan.some((e) => e.action !== 'keep');
}
