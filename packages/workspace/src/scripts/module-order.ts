/** Orders for running scripts: dependencies first (install, check), dependents first (uninstall). */

/** `names` with each one's dependencies (within `names`) before it; ties by name. */
export function dependenciesFirst(
  names: Iterable<string>,
  dependenciesOf: (name: string) => string[],
): string[] {
  const wanted = new Set(names);
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (name: string, path: Set<string>) => {
    if (done.has(name) || path.has(name)) return;
    path.add(name);
    for (const dep of [...dependenciesOf(name)].sort()) if (wanted.has(dep)) visit(dep, path);
    path.delete(name);
    done.add(name);
    order.push(name);
  };
  for (const name of [...wanted].sort()) visit(name, new Set());
  return order;
}

/** `name` and everything it depends on, transitively. */
export function closureOf(name: string, dependenciesOf: (name: string) => string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [name];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...dependenciesOf(next));
  }
  return seen;
}

/** Every module in `all` that depends on `name`, transitively. */
export function dependentsOf(
  name: string,
  all: Iterable<string>,
  dependenciesOf: (name: string) => string[],
): Set<string> {
  const out = new Set<string>();
  for (const candidate of all) {
    if (candidate !== name && closureOf(candidate, dependenciesOf).has(name)) out.add(candidate);
  }
  return out;
}
