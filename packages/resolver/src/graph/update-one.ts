import semver from 'semver';
import { ResolverError } from '../resolver-error.js';
import { type Solution, type SolveOptions, solveInternal } from '../solve.js';
import { SolveError } from '../solve-error.js';
import type { Incompatibility } from '../solver/incompatibility.js';

export interface UpdateOneOptions extends SolveOptions {
  /** The package to update. */
  name: string;
  /** Target version or range; default: the newest version the other requirements allow. */
  to?: string;
}

export interface VersionChange {
  name: string;
  /** Absent when the package is new in the solution. */
  from?: string;
  /** Absent when the package left the solution. */
  to?: string;
}

export interface UpdateOneResult extends Solution {
  /** Packages whose version differs from `locked`, sorted by name. */
  changes: VersionChange[];
}

/**
 * Re-resolves with `name` unlocked (and decided first, at its newest allowed version or within
 * `to`), while every other package keeps its locked version unless the new one forces a change.
 */
export async function updateOne(options: UpdateOneOptions): Promise<UpdateOneResult> {
  const { name, to, ...solveOptions } = options;
  const locked = options.locked ?? {};
  if (!Object.hasOwn(options.root, name) && !Object.hasOwn(locked, name)) {
    throw new ResolverError(
      'PACKAGE_NOT_IN_GRAPH',
      `${name} is not a dependency of ${options.rootName ?? 'your workspace'}`,
      {
        kind: 'input',
        hint: 'Run "provisioning dep tree" to list the resolved dependencies, and check the spelling.',
        details: { package: name },
      },
    );
  }
  if (to !== undefined && semver.validRange(to) === null) {
    throw new ResolverError(
      'UPDATE_TARGET_INVALID',
      `update target "${to}" for ${name} is not a semver version or range`,
      {
        kind: 'usage',
        hint: 'Pass a version such as 1.29.0 or a range such as ^1.29.0.',
        details: { package: name, range: to },
      },
    );
  }
  let solution: Solution;
  try {
    solution = await solveInternal({
      ...solveOptions,
      unlock: [...(options.unlock ?? []), name],
      first: [name],
      requests: to === undefined ? {} : { [name]: to },
    });
  } catch (error) {
    if (!(error instanceof SolveError) || to === undefined) throw error;
    throw new SolveError(
      error.explanation,
      error.incompatibility,
      nothingPublished(error.incompatibility as Incompatibility, name)
        ? `no published version of ${name} matches ${to}: pick one of the versions the explanation lists.`
        : `${name} ${to} cannot be used with the other requirements: pick another version, or relax the ranges named in the explanation.`,
    );
  }
  return { ...solution, changes: diff(locked, solution.versions) };
}

function diff(locked: Record<string, string>, versions: Map<string, string>): VersionChange[] {
  const names = new Set([...Object.keys(locked), ...versions.keys()]);
  const changes: VersionChange[] = [];
  for (const name of [...names].sort()) {
    const from = locked[name];
    const to = versions.get(name);
    if (from === to) continue;
    const change: VersionChange = { name };
    if (from !== undefined) change.from = from;
    if (to !== undefined) change.to = to;
    changes.push(change);
  }
  return changes;
}

/** Whether the proof rests on `name` having no version in the asked set (a target that is not published). */
function nothingPublished(incompatibility: Incompatibility, name: string): boolean {
  const { cause } = incompatibility;
  if (cause.kind === 'derived') {
    return nothingPublished(cause.conflict, name) || nothingPublished(cause.other, name);
  }
  return cause.kind === 'no-versions' && incompatibility.terms[0]?.name === name;
}
