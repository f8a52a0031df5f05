#!/usr/bin/env node
// Bundle benchmark (NOT a test): a workspace pinning one large artifact (a plain artifact of
// seeded, incompressible bytes, 2 GiB by default, pinned as a platform image) is bundled with
// `bundle create`, listed with `bundle inspect` and loaded into a second registry with
// `bundle push`, each one CLI process. Prints wall time, throughput and peak RSS per step and
// PASS/MISS against the 150 MB goal (docs/air-gap.md, "Big bundles"); always exits 0.
// Needs `pnpm exec turbo run build`, docker-registry (and /usr/bin/time for the kernel's RSS figure).
//
//   node bench/bundle/run.mjs [--gib 2]
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measure, rssMethod } from '../lib/measure.mjs';
import { makeLargeLayout } from '../transfer/content.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const dist = (pkg) => pathToFileURL(join(repo, 'packages', pkg, 'dist', 'index.js')).href;
const { startDistribution, tempDir } = await import(dist('testkit'));
const { OciLayout } = await import(dist('oci-client'));

const at = process.argv.indexOf('--gib');
const GIB = at > 0 ? Number(process.argv[at + 1]) : 2;
const BYTES = Math.round(GIB * 1024 ** 3);
const GOAL_MB = 150;
const CLI = join(repo, 'apps', 'cli', 'bin', 'run.js');

const work = await tempDir('bench-bundle-');
const [origin, site] = await Promise.all([startDistribution(), startDistribution()]);
const results = [];
try {
  const home = join(work.path, 'home');
  await mkdir(home);
  const env = { PATH: process.env.PATH ?? '', HOME: work.path, PROVISIONING_HOME: home };
  const cli = (args, options = {}) => measure(process.execPath, [CLI, ...args], { env, ...options });

  console.log(`creating a ${GIB} GiB artifact…`);
  const layoutDir = join(work.path, 'layout');
  await makeLargeLayout(OciLayout, layoutDir, join(work.path, 'scratch.bin'), BYTES, 'v1');
  const reference = `${origin.host}/provisioning-platform/big:v1`;
  await cli(['oci', 'copy', `oci-layout:${layoutDir}:v1`, reference]);
  await rm(layoutDir, { recursive: true, force: true });

  const ws = join(work.path, 'ws');
  await mkdir(join(ws, 'config'), { recursive: true });
  await writeFile(
    join(ws, 'config', 'provisioning.yaml'),
    `dependencies:\n  extensions:\n    oci:\n      registry: "${origin.host}"\n  platform:\n    images:\n      big: "${reference}"\n`,
  );
  await cli(['dep', 'resolve'], { cwd: ws });

  const file = join(work.path, 'big.tar');
  const step = async (name, args, options) => {
    const run = await cli(args, options);
    results.push({ name, ...run });
  };
  await step('bundle create', ['bundle', 'create', '-o', file], { cwd: ws });
  const size = (await stat(file)).size;
  await step('bundle inspect', ['bundle', 'inspect', file]);
  await step('bundle push', ['bundle', 'push', file, site.host]);

  console.log(
    `\nbundle of ${(size / 1024 ** 3).toFixed(2)} GiB (peak RSS by ${rssMethod}; goal < ${GOAL_MB} MB)`,
  );
  for (const r of results) {
    const rate = r.name === 'bundle inspect' ? '' : `  ${(size / 1024 ** 2 / r.seconds).toFixed(0)} MiB/s`;
    const verdict = r.peakRssMb < GOAL_MB ? 'PASS' : 'MISS';
    console.log(
      `${r.name.padEnd(15)} ${r.seconds.toFixed(1).padStart(7)} s${rate.padEnd(14)} peak RSS ${r.peakRssMb.toFixed(0).padStart(4)} MB  ${verdict}`,
    );
  }
} finally {
  await Promise.allSettled([origin.stop(), site.stop()]);
  await work.remove();
}
