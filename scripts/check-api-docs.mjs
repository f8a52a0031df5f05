#!/usr/bin/env node
// Every name a package exports from src/index.ts is described in its README (docs/packages.md,
// "Public APIs"): the index lists names one by one, and a name nobody documented is either
// internal (take it out of the index) or undocumented API (describe it).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const problems = [];
for (const pkg of readdirSync('packages')) {
  let index;
  try {
    index = readFileSync(join('packages', pkg, 'src', 'index.ts'), 'utf8');
  } catch {
    continue;
  }
  if (pkg === 'testkit') continue; // test support, private
  const readme = readFileSync(join('packages', pkg, 'README.md'), 'utf8');
  if (/export \* from/.test(index))
    problems.push(`packages/${pkg}/src/index.ts: \`export *\`; list the names`);
  const names = new Set();
  for (const [, list] of index.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
    for (const item of list.split(',')) {
      const name = item
        .trim()
        .replace(/^type /, '')
        .split(' as ')
        .pop();
      if (name) names.add(name);
    }
  }
  const missing = [...names]
    .filter((n) => !new RegExp(`\\b${n.replace(/\$/g, '\\$')}\\b`).test(readme))
    .sort();
  if (missing.length > 0) problems.push(`packages/${pkg}/README.md does not describe: ${missing.join(', ')}`);
}
if (problems.length > 0) {
  for (const p of problems) console.error(`check-api-docs: ${p}`);
  process.exit(1);
}
console.log('check-api-docs: every exported name of every package is in its README');
