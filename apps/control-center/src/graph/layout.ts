import dagre from '@dagrejs/dagre';
import type { GraphEdge, GraphNode } from '../api/types';

export interface PlacedNode extends GraphNode {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface PlacedEdge extends GraphEdge {
  points: { x: number; y: number }[];
}

const CHAR = 7.5;
const HEIGHT = 32;

// Top-down layered layout by dagre; node width follows its `name@version` label.
export function layoutGraph(nodes: GraphNode[], edges: GraphEdge[]) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 60, marginx: 80, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.id.length * CHAR + 24, height: HEIGHT });
  for (const e of edges) if (g.hasNode(e.from) && g.hasNode(e.to)) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const placed: PlacedNode[] = nodes.map((n) => {
    const p = g.node(n.id);
    return { ...n, x: p.x, y: p.y, width: p.width, height: p.height };
  });
  const lines: PlacedEdge[] = edges
    .filter((e) => g.hasEdge(e.from, e.to))
    .map((e) => ({ ...e, points: g.edge(e.from, e.to).points ?? [] }));
  const size = g.graph();
  return { nodes: placed, edges: lines, width: size.width ?? 0, height: size.height ?? 0 };
}
