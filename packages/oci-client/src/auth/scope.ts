/**
 * Docker token scopes: `repository:NAME:pull,push`, `registry:catalog:*`. Push needs `pull,push`
 * on the target; a cross-repository mount also needs `pull` on the source repository.
 */
export function repositoryScope(repository: string, actions: readonly string[]): string {
  return `repository:${repository}:${[...actions].join(',')}`;
}

export const CATALOG_SCOPE = 'registry:catalog:*';

/** Merge scopes on the same resource (union of actions) and sort: a stable cache key. */
export function normalizeScopes(scopes: readonly string[]): string[] {
  const byResource = new Map<string, Set<string>>();
  for (const scope of scopes.flatMap((s) => s.split(' '))) {
    if (scope === '') continue;
    const lastColon = scope.lastIndexOf(':');
    if (lastColon <= 0) {
      byResource.set(scope, byResource.get(scope) ?? new Set());
      continue;
    }
    const resource = scope.slice(0, lastColon);
    const actions = byResource.get(resource) ?? new Set<string>();
    for (const action of scope.slice(lastColon + 1).split(',')) if (action !== '') actions.add(action);
    byResource.set(resource, actions);
  }
  return [...byResource.entries()]
    .map(([resource, actions]) =>
      actions.size === 0 ? resource : `${resource}:${[...actions].sort().join(',')}`,
    )
    .sort();
}
