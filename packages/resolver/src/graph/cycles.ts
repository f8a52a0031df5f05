import { ResolverError } from '../resolver-error.js';
import type { DependencyGraph } from './dependency-graph.js';

/**
 * Every dependency cycle, one per strongly connected component, as a full path that starts and
 * ends at the alphabetically first package of the cycle: ['cilium', 'kubernetes', 'cilium'].
 * A package depending on itself gives ['a', 'a'].
 */
export function findCycles(graph: DependencyGraph): string[][] {
  const cycles: string[][] = [];
  for (const component of stronglyConnectedComponents(graph)) {
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    const selfLoop = graph.nodes.get(start)?.dependencies.some((edge) => edge.name === start) ?? false;
    if (component.length === 1 && !selfLoop) continue;
    cycles.push(shortestCycle(graph, start, members));
  }
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** "kubernetes → cilium → kubernetes". */
export function formatCycle(path: readonly string[]): string {
  return path.join(' → ');
}

export function cycleError(cycles: string[][]): ResolverError {
  const shown = cycles.map(formatCycle);
  return new ResolverError('DEPENDENCY_CYCLE', `dependency cycle: ${shown.join('; ')}`, {
    kind: 'input',
    hint: 'Extensions in a cycle cannot be installed in order: remove one of these dependencies from its manifest.yaml.',
    details: { cycles },
  });
}

/** Breadth-first search inside the component gives the shortest way back to `start`. */
function shortestCycle(graph: DependencyGraph, start: string, members: Set<string>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head]!;
    const next = [...(graph.nodes.get(current)?.dependencies ?? [])].map((edge) => edge.name).sort();
    for (const name of next) {
      if (!members.has(name)) continue;
      if (name === start) {
        const path = [start];
        for (
          let step: string | undefined = current;
          step !== start && step !== undefined;
          step = parent.get(step)
        ) {
          path.splice(1, 0, step);
        }
        path.push(start);
        return path;
      }
      if (!parent.has(name)) {
        parent.set(name, current);
        queue.push(name);
      }
    }
  }
  return [start, start];
}

/** Tarjan's algorithm, iterative so deep graphs cannot overflow the stack. */
function stronglyConnectedComponents(graph: DependencyGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const start of [...graph.nodes.keys()].sort()) {
    if (index.has(start)) continue;
    const work: Array<{ name: string; edges: string[]; next: number }> = [];
    const enter = (name: string) => {
      index.set(name, counter);
      low.set(name, counter);
      counter++;
      stack.push(name);
      onStack.add(name);
      const edges = (graph.nodes.get(name)?.dependencies ?? [])
        .map((edge) => edge.name)
        .filter((dependency) => graph.nodes.has(dependency));
      work.push({ name, edges, next: 0 });
    };
    enter(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.next < frame.edges.length) {
        const target = frame.edges[frame.next++]!;
        if (!index.has(target)) enter(target);
        else if (onStack.has(target)) low.set(frame.name, Math.min(low.get(frame.name)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.name, Math.min(low.get(parent.name)!, low.get(frame.name)!));
      if (low.get(frame.name) === index.get(frame.name)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.name);
        components.push(component);
      }
    }
  }
  return components;
}
