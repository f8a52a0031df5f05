import { InMemorySource, type InMemoryVersion, SolveError, type SolveOptions, solve } from '../src/index.js';

export type Packages = Record<string, Record<string, InMemoryVersion>>;

/** Shorthand: { 'foo 1.0.0': { bar: '^1.0.0' } } → InMemorySource packages. */
export function packages(spec: Record<string, Record<string, string>>): Packages {
  const result: Packages = {};
  for (const [id, dependencies] of Object.entries(spec)) {
    const [name, version] = id.split(' ') as [string, string];
    result[name] ??= {};
    result[name][version] = { dependencies };
  }
  return result;
}

export async function solved(
  pkgs: Packages,
  root: Record<string, string>,
  extra: Partial<SolveOptions> = {},
): Promise<Record<string, string>> {
  const solution = await solve({ root, rootName: 'root', source: new InMemorySource(pkgs), ...extra });
  return Object.fromEntries(solution.versions);
}

export async function failure(
  pkgs: Packages,
  root: Record<string, string>,
  extra: Partial<SolveOptions> = {},
): Promise<SolveError> {
  try {
    const solution = await solve({ root, rootName: 'root', source: new InMemorySource(pkgs), ...extra });
    throw new Error(`expected a failure, got ${JSON.stringify(Object.fromEntries(solution.versions))}`);
  } catch (error) {
    if (error instanceof SolveError) return error;
    throw error;
  }
}
