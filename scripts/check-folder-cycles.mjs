// No import cycles between the folders of a package (docs/architecture.md, "Packages and the
// dependency rule"): each folder is a layer, and a cycle means something sits in the wrong one.
// Run by `pnpm test` (scripts/check-packages.mjs); exits 1 naming the files that close a cycle.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const packages = ['schemas', 'oci-client', 'packager', 'resolver', 'workspace'].map(
  (p) => `packages/${p}/src`,
);
packages.push('apps/cli/src');

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

const problems = [];
for (const pkg of packages) {
  const src = join(root, pkg);
  const folderOf = (file) => relative(src, file).split('/')[0];
  const edges = new Map(); // folder → Map(folder → example "file → import")
  for (const file of sources(src)) {
    const from = folderOf(file);
    if (from.endsWith('.ts')) continue; // the package's top-level files
    for (const match of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const to = folderOf(normalize(join(dirname(file), match[1])));
      if (to === from || to.endsWith('.js')) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from).has(to)) edges.get(from).set(to, `${relative(src, file)} → ${match[1]}`);
    }
  }
  const seen = new Set();
  const visit = (node, path) => {
    for (const [next, example] of edges.get(node) ?? []) {
      const at = path.findIndex((step) => step.folder === next);
      if (at >= 0) {
        const cycle = [...path.slice(at).map((s) => s.example), example];
        const key = [...path.slice(at).map((s) => s.folder)].sort().join(',');
        if (!seen.has(key)) {
          seen.add(key);
          problems.push(`${pkg}: ${cycle.filter(Boolean).join('; ')}`);
        }
      } else visit(next, [...path, { folder: next, example }]);
    }
  };
  for (const folder of edges.keys()) visit(folder, [{ folder, example: '' }]);
}
if (problems.length > 0) {
  console.error(`folder import cycles:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-folder-cycles: no cycles between the folders of ${packages.length} packages`);
