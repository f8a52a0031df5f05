#!/usr/bin/env node
// Scale benchmark (NOT a test), issue 18 point 5: growth of the CLI's costs with the size of the
// workspace and of the registry, against a real CNCF Distribution registry.
//   resolve rows: a registry of 2,000 repositories × 10 versions; workspaces of N modules (ext-0..N-1,
//     each depending on two lower ones with "^1.0.0", so the solver sees 10 candidates per name)
//     cold     : empty cache, nothing installed
//     warm     : everything installed, a no-op run (median)
//     frozen   : `dep resolve --frozen` after deleting .provisioning, warm cache (median)
//   list/search rows: `oci list` and `oci search` over a registry of 2N repositories (the 2,000 one
//     at N = 1,000), since they read every repository of the namespace, not the workspace
// Prints the growth factor per step; the goal is linear or better and no step above 2.5× for 3× the
// work. Catalog pages and tag listings are counted at a proxy and must stay within the client's cap
// (MAX_PAGES of @provisioning/oci-client). Exits non-zero, saying why, when a goal is missed.
// `node bench/scale/run.mjs [--sizes 100,300,1000] [--runs 3] [--versions 10] [--repos 2000]`
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { listArg, numberArg } from '../lib/args.mjs';
import { startCountingProxy } from '../lib/counting-proxy.mjs';
import { dist } from '../lib/repo.mjs';
import { runCli } from '../lib/run-cli.mjs';
import { median, repeat } from '../lib/stats.mjs';
import { extName, generateRegistry, versionOf } from './generate-registry.mjs';

const { startDistribution, startHttpServer, tempDir } = await import(dist('testkit'));

const SIZES = listArg('sizes', [100, 300, 1000]);
const RUNS = numberArg('runs', 3);
const VERSIONS = numberArg('versions', 10);
const REPOS = numberArg('repos', 2000);
const MAX_PAGES = 1000; // packages/oci-client/src/registry/link.ts
const GROWTH_CAP = 2.5;
// `--listing-only`: just the oci list / search rows (quick check of listing changes)
const LISTING_ONLY = process.argv.includes('--listing-only');

const loadBefore = loadavg()[0].toFixed(2);
const t0 = performance.now();
const big = await generateRegistry({ repos: REPOS, versions: VERSIONS, packed: Math.max(...SIZES) });
console.error(
  `registry of ${REPOS} × ${VERSIONS} ${big.cached ? 'cached' : 'generated'} in ${((performance.now() - t0) / 1000).toFixed(1)} s (${big.root})`,
);

const tmp = await tempDir('bench-scale-');
const rows = [];
const missed = [];
/** Start a registry on `root` behind a counting proxy, run `fn`, stop both. */
async function withRegistry(root, fn) {
  const registry = await startDistribution({ storageDir: join(root, 'storage'), deleteEnabled: false });
  const proxy = await startCountingProxy(startHttpServer, registry.host);
  try {
    return await fn(proxy);
  } finally {
    await proxy.close();
    await registry.stop();
  }
}
const configFor = (host, names) =>
  `dependencies:\n  extensions:\n    oci:\n      registry: "${host}"\n      tls_enabled: false\n    modules:\n      taskservs:\n${names
    .map((n) => `        - "${n}:${versionOf(VERSIONS - 1)}"`)
    .join('\n')}\n`;

try {
  for (const n of SIZES) {
    const row = { n };
    const ws = join(tmp.path, `ws-${n}`);
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: tmp.path,
      PROVISIONING_HOME: join(tmp.path, `home-${n}`),
    };
    await withRegistry(big.root, async (proxy) => {
      if (LISTING_ONLY) return;
      await mkdir(join(ws, 'config'), { recursive: true });
      const names = Array.from({ length: n }, (_, i) => extName(i));
      await writeFile(join(ws, 'config', 'provisioning.yaml'), configFor(proxy.host, names));
      const cli = (args) => runCli(args, { cwd: ws, env });
      row.cold = await cli(['dep', 'resolve', '--json']);
      row.warm = median(await repeat(RUNS, () => cli(['dep', 'resolve', '--json'])));
      const reinstall = [];
      for (let r = 0; r < RUNS; r++) {
        await rm(join(ws, '.provisioning'), { recursive: true, force: true });
        reinstall.push(await cli(['dep', 'resolve', '--frozen', '--json']));
      }
      row.frozen = median(reinstall);
    });
    // list/search read the whole namespace: measure them over a registry of 2N repositories
    const listRepos = Math.min(2 * n, REPOS);
    const small =
      listRepos === REPOS ? big : await generateRegistry({ repos: listRepos, versions: VERSIONS, packed: 1 });
    await withRegistry(small.root, async (proxy) => {
      const ws2 = join(tmp.path, `list-${n}`);
      await mkdir(join(ws2, 'config'), { recursive: true });
      const registryOnly = `dependencies:\n  extensions:\n    oci:\n      registry: "${proxy.host}"\n      tls_enabled: false\n`;
      await writeFile(join(ws2, 'config', 'provisioning.yaml'), registryOnly);
      const cli = (args) => runCli(args, { cwd: ws2, env });
      const before = { ...proxy.counts };
      row.list = median(await repeat(RUNS, () => cli(['oci', 'list', '--json'])));
      row.catalogPages = (proxy.counts.catalog - before.catalog) / RUNS;
      row.search = median(await repeat(RUNS, () => cli(['oci', 'search', 'ext-00', '--json'])));
      row.listRepos = listRepos;
    });
    if (row.catalogPages > MAX_PAGES)
      missed.push(`N=${n}: ${row.catalogPages} catalog pages > cap ${MAX_PAGES}`);
    rows.push(row);
    console.error(
      `N=${n}: ${['cold', 'warm', 'frozen', 'list', 'search']
        .filter((key) => row[key] !== undefined)
        .map((key) => `${key} ${(row[key] / 1000).toFixed(2)} s`)
        .join(', ')}`,
    );
  }

  const metrics = [
    ['cold', 'dep resolve, cold cache'],
    ['warm', 'dep resolve, warm no-op'],
    ['frozen', 'dep resolve --frozen reinstall'],
    ['list', 'oci list (2N repositories)'],
    ['search', 'oci search (2N repositories)'],
  ];
  const [l1, l2] = [loadBefore, loadavg()[0].toFixed(2)];
  console.log(
    `| measurement (median of ${RUNS}; ${REPOS} repos × ${VERSIONS} versions; load ${l1}→${l2}) | ${rows.map((r) => `N=${r.n}`).join(' | ')} | growth per step |`,
  );
  console.log(`|---|${rows.map(() => '---|').join('')}---|`);
  for (const [key, label] of metrics) {
    if (rows[0][key] === undefined) continue;
    const growth = rows.slice(1).map((r, k) => {
      const g = r[key] / rows[k][key];
      const work = r.n / rows[k].n;
      // no step above GROWTH_CAP for 3× the work (scaled for other steps): stricter than linear
      const cap = (GROWTH_CAP * work) / 3;
      if (g > cap) {
        missed.push(
          `${label}: ${rows[k].n}→${r.n} grew ${g.toFixed(2)}× for ${work.toFixed(2)}× the work (cap ${cap.toFixed(2)}×)`,
        );
      }
      return `${g.toFixed(2)}×`;
    });
    console.log(
      `| ${label} | ${rows.map((r) => `${(r[key] / 1000).toFixed(2)} s`).join(' | ')} | ${growth.join(', ')} |`,
    );
  }
  console.log(
    `| catalog pages per oci list (cap ${MAX_PAGES}) | ${rows.map((r) => String(r.catalogPages)).join(' | ')} | |`,
  );
  if (missed.length > 0) {
    console.error(`goals missed:\n  ${missed.join('\n  ')}`);
    process.exitCode = 1;
  }
} finally {
  await tmp.remove();
}
