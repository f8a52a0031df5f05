export interface TreeNode {
  label: string;
  children?: TreeNode[];
}

/**
 * Renders a tree with the box-drawing guides the seed uses for directory listings:
 *
 * ```
 * workspace
 * ├── kubernetes 1.28.0
 * │   ├── containerd 1.7.0
 * │   └── etcd 3.5.9
 * └── cilium 1.14.0
 * ```
 * Several roots are printed one after another. A label with line breaks keeps the guide on its
 * continuation lines.
 */
export function renderTree(roots: TreeNode | TreeNode[]): string {
  const lines: string[] = [];
  for (const root of Array.isArray(roots) ? roots : [roots]) {
    pushLabel(lines, root.label, '', '');
    walk(lines, root.children ?? [], '');
  }
  return lines.join('\n');
}

function walk(lines: string[], children: TreeNode[], prefix: string): void {
  children.forEach((child, index) => {
    const last = index === children.length - 1;
    pushLabel(lines, child.label, prefix + (last ? '└── ' : '├── '), prefix + (last ? '    ' : '│   '));
    walk(lines, child.children ?? [], prefix + (last ? '    ' : '│   '));
  });
}

function pushLabel(lines: string[], label: string, firstPrefix: string, restPrefix: string): void {
  label.split('\n').forEach((part, i) => {
    lines.push((i === 0 ? firstPrefix : restPrefix) + part);
  });
}
