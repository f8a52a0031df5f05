#!/usr/bin/env node
// Solver benchmark (not a test): times @provisioning/resolver on a synthetic 1,000-package ×
// 30-version graph and on an unsatisfiable pigeonhole set that forces deep backtracking, prints a
// table and exits 1 when a target is missed. Build first: pnpm exec turbo run build --filter @provisioning/resolver
//
//   node bench/resolve/solver.mjs [--runs N]
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pigeonhole, wideGraph } from './graphs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, '..', '..', 'packages', 'resolver', 'dist', 'index.js');
if (!existsSync(entry)) {
  console.error(`${entry} is missing: run "pnpm exec turbo run build --filter @provisioning/resolver" first`);
  process.exit(2);
}
const { InMemorySource, SolveError, solve } = await import(pathToFileURL(entry).href);

const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;

const cases = [
  {
    name: 'solve 1,000 pkgs × 30 versions (seed 1, 8 pins)',
    targetMs: 1000,
    graph: wideGraph({ seed: 1, packageCount: 1000, versionCount: 30, pins: 8 }),
    expect: 'solved',
  },
  {
    name: 'explain unsatisfiable pigeonhole (7 pigeons, 6 holes)',
    targetMs: 2000,
    graph: pigeonhole(6),
    expect: 'failed',
  },
];

/** One timed solve; returns wall and CPU milliseconds and what came out. */
async function measure(graph) {
  const source = new InMemorySource(graph.packages);
  const cpu = process.cpuUsage();
  const start = performance.now();
  let outcome;
  try {
    const solution = await solve({ root: graph.root, source });
    outcome = { kind: 'solved', detail: `${solution.versions.size} packages selected` };
  } catch (error) {
    if (!(error instanceof SolveError)) throw error;
    outcome = { kind: 'failed', detail: `explanation: ${error.explanation.split('\n').length} lines` };
  }
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000, outcome };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const rows = [];
let missed = false;
for (const benchCase of cases) {
  const results = [];
  for (let run = 0; run < RUNS; run++) results.push(await measure(benchCase.graph));
  const outcome = results[0].outcome;
  const wall = median(results.map((result) => result.wall));
  // The gate is the median. The cold run (what one CLI invocation sees, before the JIT warms up)
  // is reported beside it, with CPU time, which says more than wall time on a busy machine.
  const ok = outcome.kind === benchCase.expect && wall < benchCase.targetMs;
  if (!ok) missed = true;
  rows.push({
    case: benchCase.name,
    'cold ms': results[0].wall.toFixed(0),
    'cold cpu ms': results[0].cpu.toFixed(0),
    'median ms': wall.toFixed(0),
    'median cpu ms': median(results.map((result) => result.cpu)).toFixed(0),
    target: `< ${benchCase.targetMs} ms`,
    result: `${outcome.kind} (${outcome.detail})`,
    status: ok ? 'ok' : 'MISSED',
  });
}

const columns = Object.keys(rows[0]);
const widths = columns.map((column) =>
  Math.max(column.length, ...rows.map((row) => String(row[column]).length)),
);
const line = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
console.log(`node ${process.version}, ${RUNS} runs per case (median), first run is cold`);
console.log(line(columns));
console.log(line(widths.map((width) => '-'.repeat(width))));
for (const row of rows) console.log(line(columns.map((column) => row[column])));
process.exit(missed ? 1 : 0);
