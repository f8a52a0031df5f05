import type { GraphEdge, GraphNode } from '../api/types';
import { layoutGraph } from './layout';

// SVG dependency graph. data-node-id / data-edge="from->to" let tests (and users' tools) count parts.
export function DependencyGraph({
  nodes,
  edges,
  title,
}: {
  nodes: GraphNode[];
  edges: GraphEdge[];
  title: string;
}) {
  const g = layoutGraph(nodes, edges);
  return (
    <figure className="graph">
      <svg
        role="img"
        aria-labelledby="graph-title"
        width={g.width}
        height={g.height}
        viewBox={`0 0 ${g.width} ${g.height}`}
      >
        <title id="graph-title">{title}</title>
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="8"
            markerHeight="8"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" fill="#555" />
          </marker>
        </defs>
        {g.edges.map((e) => {
          const mid = e.points[Math.floor(e.points.length / 2)];
          return (
            <g key={`${e.from}->${e.to}`} data-edge={`${e.from}->${e.to}`} data-constraint={e.constraint}>
              <polyline
                points={e.points.map((p) => `${p.x},${p.y}`).join(' ')}
                fill="none"
                stroke="#555"
                markerEnd="url(#arrow)"
              />
              {mid && (
                <text x={mid.x + 4} y={mid.y} className="edge-label">
                  {e.constraint}
                </text>
              )}
            </g>
          );
        })}
        {g.nodes.map((n) => (
          <g
            key={n.id}
            data-node-id={n.id}
            transform={`translate(${n.x - n.width / 2},${n.y - n.height / 2})`}
          >
            <rect width={n.width} height={n.height} rx="6" className={`node node-${n.type ?? 'unknown'}`} />
            <text x={n.width / 2} y={n.height / 2 + 4} textAnchor="middle">
              {n.id}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>
        {nodes.length} modules, {edges.length} dependency edges
      </figcaption>
    </figure>
  );
}
