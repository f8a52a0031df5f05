/** `dep resolve` / `dep update` as text: the plan table, what was installed, where the lockfile is. */
import type { PlanEntry } from '@provisioning/workspace';
import { plural } from './plural.js';
import { renderTable } from './table.js';

export interface DepResolveOutput {
  workspace: string;
  lockfile: string;
  /** A new set of modules was installed (false: everything was already in place). */
  installed: boolean;
  frozen: boolean;
  offline: boolean;
  modules: PlanEntry[];
  /** An interrupted earlier run was repaired first. */
  repaired: boolean;
  /** The install generation this run made (see `dep history`), when it installed. */
  generation?: number;
}

export function renderResolve(output: DepResolveOutput): string {
  const lines: string[] = [];
  if (output.repaired)
    lines.push('repaired an interrupted earlier run (lockfile rewritten from the installed modules)');
  if (output.modules.length > 0) {
    lines.push(
      renderTable(
        output.modules.map((m) => ({
          module: m.name,
          type: m.type,
          version: m.version,
          action:
            m.action === 'keep'
              ? 'unchanged'
              : m.previous && m.previous !== m.version
                ? `${m.action} (from ${m.previous})`
                : m.action,
          // a git module is named by where it came from: repository and release tag
          reference: m.git ? `${m.git.url} ${m.git.tag}` : m.reference,
        })),
      ),
    );
  }
  const changed = output.modules.filter((m) => m.action !== 'keep').length;
  lines.push(
    output.installed
      ? `installed ${plural(output.modules.filter((m) => m.action !== 'remove').length, 'module')} (${changed} changed) into ${output.workspace}/.provisioning/extensions${output.generation === undefined ? '' : ` (generation ${output.generation})`}`
      : `everything is up to date (${plural(output.modules.length, 'module')})`,
  );
  lines.push(`lockfile: ${output.lockfile}`);
  return lines.join('\n');
}
