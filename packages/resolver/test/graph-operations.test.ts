import { ProvisioningError } from '@provisioning/schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type DependencyGraph,
  findCycles,
  formatCycle,
  InMemorySource,
  outdated,
  solve,
  topologicalOrder,
  tree,
  why,
} from '../src/index.js';

// The seed's example workspace, plus a cycle between kubernetes and cilium.
const extensions = {
  aws: { '2.0.0': {}, '2.1.0': {} },
  containerd: { '1.7.0': {}, '1.7.1': {}, '2.0.0': {} },
  etcd: { '3.5.0': {}, '3.5.9': {} },
  kubernetes: {
    '1.28.0': { dependencies: { containerd: '^1.7.0', etcd: '~3.5.0' } },
    '1.29.0-rc.1': { dependencies: { containerd: '^1.7.0', etcd: '~3.5.0' } },
  },
  cilium: {
    '1.14.0': { dependencies: { kubernetes: '^1.28.0' } },
    '1.15.0': { dependencies: { kubernetes: '^1.29.0' } },
  },
  buildkit: { '0.12.0': { dependencies: { containerd: '>=1.7.0 <1.7.1', kubernetes: '^1.28.0' } } },
};
const root = { aws: '^2.0.0', kubernetes: '^1.28.0', cilium: '^1.14.0', buildkit: '^0.12.0' };

describe('graph operations on a resolved workspace', () => {
  let graph: DependencyGraph;
  beforeAll(async () => {
    graph = (await solve({ root, source: new InMemorySource(extensions) })).graph;
  });

  it('records nodes, edges with the range asked, and the root edges', () => {
    expect([...graph.nodes.keys()]).toEqual([
      'aws',
      'buildkit',
      'cilium',
      'containerd',
      'etcd',
      'kubernetes',
    ]);
    expect(graph.nodes.get('kubernetes')).toEqual({
      name: 'kubernetes',
      version: '1.28.0',
      id: 'kubernetes@1.28.0',
      dependencies: [
        { name: 'containerd', range: '^1.7.0', version: '1.7.0' },
        { name: 'etcd', range: '~3.5.0', version: '3.5.9' },
      ],
    });
    expect(graph.roots).toEqual([
      { name: 'aws', range: '^2.0.0', version: '2.1.0' },
      { name: 'buildkit', range: '^0.12.0', version: '0.12.0' },
      { name: 'cilium', range: '^1.14.0', version: '1.14.0' },
      { name: 'kubernetes', range: '^1.28.0', version: '1.28.0' },
    ]);
  });

  it('orders dependencies before dependents, deterministically', () => {
    const order = topologicalOrder(graph).map((node) => node.name);
    expect(order).toEqual(['aws', 'containerd', 'etcd', 'kubernetes', 'buildkit', 'cilium']);
    for (const [position, name] of order.entries()) {
      for (const edge of graph.nodes.get(name)!.dependencies)
        expect(order.indexOf(edge.name)).toBeLessThan(position);
    }
    expect(findCycles(graph)).toEqual([]);
  });

  it('builds the tree with depth limits, marking repeated subtrees', () => {
    const full = tree(graph);
    expect(full.name).toBe('your workspace');
    expect(full.children.map((child) => `${child.name}@${child.version} ${child.range}`)).toEqual([
      'aws@2.1.0 ^2.0.0',
      'buildkit@0.12.0 ^0.12.0',
      'cilium@1.14.0 ^1.14.0',
      'kubernetes@1.28.0 ^1.28.0',
    ]);
    const buildkit = full.children[1]!;
    expect(buildkit.children.map((child) => child.name)).toEqual(['containerd', 'kubernetes']);
    expect(buildkit.children[1]!.children.map((child) => child.name)).toEqual(['containerd', 'etcd']);
    // kubernetes was expanded under buildkit already: shown again without children.
    expect(full.children[2]!.children[0]).toEqual({
      name: 'kubernetes',
      version: '1.28.0',
      range: '^1.28.0',
      children: [],
      deduped: true,
    });

    const shallow = tree(graph, { depth: 1 });
    expect(shallow.children[1]).toMatchObject({ name: 'buildkit', children: [], truncated: true });
    expect(tree(graph, { depth: 0 })).toEqual({ name: 'your workspace', children: [], truncated: true });
    const rooted = tree(graph, { root: 'kubernetes', depth: 1 });
    expect(rooted.children.map((child) => `${child.name}@${child.version}`)).toEqual([
      'containerd@1.7.0',
      'etcd@3.5.9',
    ]);
  });

  it('inverts the tree: who depends on a package, up to the workspace', () => {
    const inverted = tree(graph, { root: 'containerd', invert: true });
    expect(inverted.name).toBe('containerd');
    expect(inverted.children.map((child) => `${child.name} ${child.range}`)).toEqual([
      'buildkit >=1.7.0 <1.7.1',
      'kubernetes ^1.7.0',
    ]);
    const viaKubernetes = inverted.children[1]!;
    expect(viaKubernetes.children.map((child) => child.name)).toEqual([
      'your workspace',
      'buildkit',
      'cilium',
    ]);
    expect(viaKubernetes.children[0]).toEqual({ name: 'your workspace', range: '^1.28.0', children: [] });
    expect(tree(graph, { root: 'containerd', invert: true, depth: 1 }).children[0]!.truncated).toBe(true);
  });

  it('rejects trees it cannot build, with stable codes', () => {
    expect(() => tree(graph, { invert: true })).toThrow(
      expect.objectContaining({ code: 'TREE_INVERT_NEEDS_NAME', kind: 'usage' }),
    );
    expect(() => tree(graph, { root: 'nginx' })).toThrow(
      expect.objectContaining({
        code: 'PACKAGE_NOT_IN_GRAPH',
        message: 'nginx is not a dependency of your workspace',
      }),
    );
    expect(() => tree(graph, { depth: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_TREE_DEPTH' }));
  });

  it('why lists every path from the workspace with the ranges along it', () => {
    const result = why(graph, 'containerd');
    expect(result.version).toBe('1.7.0');
    expect(result.truncated).toBe(false);
    const rendered = result.paths.map((path) => path.map((step) => `${step.name} ${step.range}`).join(' → '));
    expect(rendered).toEqual([
      'buildkit ^0.12.0 → containerd >=1.7.0 <1.7.1',
      'buildkit ^0.12.0 → kubernetes ^1.28.0 → containerd ^1.7.0',
      'cilium ^1.14.0 → kubernetes ^1.28.0 → containerd ^1.7.0',
      'kubernetes ^1.28.0 → containerd ^1.7.0',
    ]);
    expect(why(graph, 'containerd', { limit: 2 })).toMatchObject({ truncated: true });
    expect(why(graph, 'aws').paths).toEqual([[{ name: 'aws', range: '^2.0.0', version: '2.1.0' }]]);
    expect(() => why(graph, 'nginx')).toThrow(ProvisioningError);
  });

  it('outdated reports wanted (within every range) and latest', async () => {
    const source = new InMemorySource(extensions);
    const stale = (await solve({ root, source, locked: { aws: '2.0.0', etcd: '3.5.0' } })).graph;
    expect(await outdated(stale, source, root)).toEqual([
      { name: 'aws', current: '2.0.0', wanted: '2.1.0', latest: '2.1.0', direct: true },
      { name: 'cilium', current: '1.14.0', wanted: '1.15.0', latest: '1.15.0', direct: true },
      { name: 'containerd', current: '1.7.0', wanted: '1.7.0', latest: '2.0.0', direct: false },
      { name: 'etcd', current: '3.5.0', wanted: '3.5.9', latest: '3.5.9', direct: false },
    ]);
  });

  it('outdated does not want a version that needs a newer core, and says what latest needs', async () => {
    const source = new InMemorySource({ aws: { '2.0.0': {}, '2.1.0': { minCoreVersion: '4.0.0' } } });
    const { graph: awsGraph } = await solve({ root: { aws: '^2.0.0' }, source, coreVersion: '3.5.0' });
    expect(await outdated(awsGraph, source, { aws: '^2.0.0' }, { coreVersion: '3.5.0' })).toEqual([
      {
        name: 'aws',
        current: '2.0.0',
        wanted: '2.0.0',
        latest: '2.1.0',
        latestRequiresCore: '4.0.0',
        direct: true,
      },
    ]);
    // on a core new enough, the same version is simply wanted
    expect(await outdated(awsGraph, source, { aws: '^2.0.0' }, { coreVersion: '4.0.0' })).toEqual([
      { name: 'aws', current: '2.0.0', wanted: '2.1.0', latest: '2.1.0', direct: true },
    ]);
  });
});

describe('dependency cycles', () => {
  const cyclic = new InMemorySource({
    kubernetes: { '1.28.0': { dependencies: { cilium: '^1.14.0', containerd: '^1.7.0' } } },
    cilium: { '1.14.0': { dependencies: { kubernetes: '^1.28.0' } } },
    containerd: { '1.7.0': { dependencies: { runc: '^1.0.0' } } },
    runc: { '1.0.0': { dependencies: { shim: '*' } } },
    shim: { '1.0.0': { dependencies: { containerd: '*' } } },
    loner: { '1.0.0': { dependencies: { loner: '^1.0.0' } } },
  });

  it('are legal for the solver, reported as full paths by findCycles', async () => {
    const { graph } = await solve({ root: { kubernetes: '*', loner: '*' }, source: cyclic });
    expect(graph.nodes.size).toBe(6);
    const cycles = findCycles(graph);
    expect(cycles).toEqual([
      ['cilium', 'kubernetes', 'cilium'],
      ['containerd', 'runc', 'shim', 'containerd'],
      ['loner', 'loner'],
    ]);
    expect(formatCycle(cycles[0]!)).toBe('cilium → kubernetes → cilium');
  });

  it('make topologicalOrder throw DEPENDENCY_CYCLE showing the whole path', async () => {
    const { graph } = await solve({ root: { kubernetes: '*' }, source: cyclic });
    let thrown: unknown;
    try {
      topologicalOrder(graph);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProvisioningError);
    const error = thrown as ProvisioningError;
    expect(error.code).toBe('DEPENDENCY_CYCLE');
    expect(error.kind).toBe('input');
    expect(error.message).toBe(
      'dependency cycle: cilium → kubernetes → cilium; containerd → runc → shim → containerd',
    );
    expect(error.hint).toMatch(/manifest\.yaml/);
  });

  it('are marked in trees instead of recursing forever', async () => {
    const { graph } = await solve({ root: { kubernetes: '*' }, source: cyclic });
    const cilium = tree(graph).children[0]!.children[0]!;
    expect(cilium.name).toBe('cilium');
    expect(cilium.children[0]).toMatchObject({ name: 'kubernetes', cycle: true, children: [] });
    expect(why(graph, 'shim').paths.map((path) => path.map((step) => step.name).join(' → '))).toEqual([
      'kubernetes → containerd → runc → shim',
    ]);
  });
});
