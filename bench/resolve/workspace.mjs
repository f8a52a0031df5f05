#!/usr/bin/env node
// Workspace benchmark (NOT a test): `dep resolve` of a 100-extension workspace against a local CNCF
// Distribution registry, run through the built CLI as a user runs it. Goals (issue 18's table):
//   cold    : empty cache, nothing installed (goal <= 1.5 s)
//   warm    : cache filled, everything installed (a no-op run: tags listed, nothing downloaded)
//   frozen  : `dep resolve --frozen` with a warm cache after deleting .provisioning (reinstall,
//             goal <= 0.6 s): registry requests counted at a loopback proxy (goal 0), installed
//             files hard-linked from the cache's tree store (goal: every file has nlink > 1)
//   no-op   : `dep resolve --frozen` already installed ÷ `node -e 0` (goal <= 3×; `--version` is
//             shown too, but it answers from a fast path); repeated runs replay the recorded answer
//             (docs/performance.md, "The no-op answer"), first runs (a new variable each) do not
//   RSS     : peak RSS of every CLI run (goal <= 80 MB)
// Needs `pnpm exec turbo run build` first. Exits non-zero when a goal is missed, saying which.
// BENCH_REPO=/path/to/checkout runs another (built) checkout's CLI, for before/after figures;
// BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" profiles every CLI run.
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { numberArg } from '../lib/args.mjs';
import { startCountingProxy } from '../lib/counting-proxy.mjs';
import { measure } from '../lib/measure.mjs';
import { repoRoot } from '../lib/repo.mjs';
import { median, repeat } from '../lib/stats.mjs';

// bench-only knobs, read once (not build inputs)
const { BENCH_REPO, BENCH_NODE_ARGS } = process.env;
const repo = BENCH_REPO ? resolve(BENCH_REPO) : repoRoot;
const dist = (pkg) => pathToFileURL(join(repo, 'packages', pkg, 'dist', 'index.js')).href;
const { startDistribution, startHttpServer, tempDir } = await import(dist('testkit'));
const { packExtension, scaffoldExtension } = await import(dist('packager'));
const { Registry } = await import(dist('oci-client'));

// `node bench/resolve/workspace.mjs [--extensions N] [--runs N]`
const COUNT = numberArg('extensions', 100);
const RUNS = numberArg('runs', 5);
const CLI = join(repo, 'apps', 'cli', 'bin', 'run.js');
// the version `scaffoldExtension` writes: a tag must match the manifest
const VERSION = '1.0.0';
const GOALS = { coldMs: 1500, reinstallMs: 600, noopRatio: 3, rssMb: 80 };

const registry = await startDistribution();
const tmp = await tempDir('bench-workspace-');
const loadAtStart = loadavg()[0];
let proxy;
try {
  proxy = await startCountingProxy(startHttpServer, registry.host);

  // 100 small extensions: ext-i depends on up to two lower-numbered ones (a wide, layered graph)
  const push = new Registry(registry.host, { plainHttp: true, credentials: null });
  const names = [];
  const started = performance.now();
  for (let i = 0; i < COUNT; i++) {
    const name = `ext-${String(i).padStart(3, '0')}`;
    names.push(name);
    const dir = join(tmp.path, 'src', name, name);
    await mkdir(dirname(dir), { recursive: true });
    await scaffoldExtension('taskserv', name, dir);
    const deps = [i - 1, Math.floor(i / 2) - 1].filter((d, k, all) => d >= 0 && all.indexOf(d) === k);
    if (deps.length > 0) {
      const manifest = join(dir, 'manifest.yaml');
      const extra = deps.map((d) => `  ext-${String(d).padStart(3, '0')}: ">=0.1.0"`).join('\n');
      await writeFile(manifest, `${await readFile(manifest, 'utf8')}dependencies:\n${extra}\n`);
    }
    const packed = await packExtension(dir, { outputDir: join(tmp.path, 'out') });
    const repo = push.repository(`provisioning-extensions/${name}`);
    await repo.push(packed.config.descriptor, packed.config.bytes);
    await repo.push(packed.layer.descriptor, createReadStream(packed.layer.path));
    await repo.pushManifest(packed.imageManifestBytes, packed.imageManifestDescriptor.mediaType, VERSION);
  }
  const publishMs = performance.now() - started;
  console.error(`published ${COUNT} extensions in ${(publishMs / 1000).toFixed(1)} s`);

  const ws = join(tmp.path, 'workspace');
  await mkdir(join(ws, 'config'), { recursive: true });
  await writeFile(
    join(ws, 'config', 'provisioning.yaml'),
    `dependencies:\n  extensions:\n    oci:\n      registry: "${proxy.host}"\n      tls_enabled: false\n    modules:\n      taskservs:\n${names
      .map((n) => `        - "${n}:${VERSION}"`)
      .join('\n')}\n`,
  );
  const env = { PATH: process.env.PATH ?? '', HOME: tmp.path, PROVISIONING_HOME: join(tmp.path, 'home') };
  const nodeArgs = (BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const runs = [];
  /** One CLI run in the workspace: wall ms, with its peak RSS recorded (GNU time). */
  const run = async (label, command, args, extraEnv = {}) => {
    const result = await measure(command, args, { env: { ...env, ...extraEnv }, cwd: ws });
    runs.push({ label, ...result });
    return result.seconds * 1000;
  };
  const cli = (args, extraEnv) =>
    run(`provisioning ${args.join(' ')}`, process.execPath, [...nodeArgs, CLI, ...args], extraEnv);

  const cold = await cli(['dep', 'resolve', '--json']);
  console.error(`cold resolve ${(cold / 1000).toFixed(2)} s`);
  const warm = median(await repeat(RUNS, () => cli(['dep', 'resolve', '--json'])));
  const reinstall = [];
  const frozenRequests = [];
  for (let r = 0; r < RUNS; r++) {
    await rm(join(ws, '.provisioning'), { recursive: true, force: true });
    const before = proxy.counts.total;
    reinstall.push(await cli(['dep', 'resolve', '--frozen', '--json']));
    frozenRequests.push(proxy.counts.total - before);
  }
  const links = await linkCounts(join(ws, '.provisioning'));
  const noopBefore = proxy.counts.total;
  // a variable of its own per run: no run has a recorded answer to replay, so each takes the light path
  let fresh = 0;
  const lightNoop = median(
    await repeat(RUNS, () => cli(['dep', 'resolve', '--frozen', '--json'], { BENCH_RUN: String(fresh++) })),
  );
  // the same run again and again: the first records its answer, the next ones replay it
  const frozenNoop = median(await repeat(RUNS, () => cli(['dep', 'resolve', '--frozen', '--json'])));
  frozenRequests.push(proxy.counts.total - noopBefore);
  const version = median(await repeat(RUNS, () => cli(['--version'])));
  const bareNode = median(await repeat(RUNS, () => run('node -e 0', process.execPath, ['-e', '0'])));

  const maxRequests = Math.max(...frozenRequests);
  const ratio = frozenNoop / bareNode;
  const cliRuns = runs.filter((r) => r.label.startsWith('provisioning'));
  const peak = cliRuns.reduce((a, b) => (b.peakRssMb > a.peakRssMb ? b : a));
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const rows = [
    [`publish ${COUNT} extensions (pack + push)`, `${(publishMs / 1000).toFixed(1)} s`, ''],
    ['dep resolve, cold cache', s(cold), `goal <= ${s(GOALS.coldMs)}`],
    ['dep resolve, warm (no-op)', s(warm), ''],
    ['dep resolve --frozen, warm cache, reinstall', s(median(reinstall)), `goal <= ${s(GOALS.reinstallMs)}`],
    ['dep resolve --frozen registry requests', String(maxRequests), 'goal 0'],
    [
      'installed files hard-linked from the tree store (nlink > 1)',
      `${links.linked} of ${links.files}`,
      'goal all',
    ],
    ['dep resolve --frozen, no-op, first run (light path)', s(lightNoop), ''],
    ['dep resolve --frozen, no-op, repeated (recorded answer)', s(frozenNoop), ''],
    ['node -e 0', s(bareNode), ''],
    ['provisioning --version (fast path)', s(version), ''],
    ['frozen no-op ÷ node -e 0', `${ratio.toFixed(2)}×`, `goal <= ${GOALS.noopRatio}×`],
    [
      'peak RSS of the CLI, any run',
      `${peak.peakRssMb.toFixed(0)} MB (${peak.label})`,
      `goal <= ${GOALS.rssMb} MB`,
    ],
  ];
  const load = `load average ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end`;
  console.log(`| measurement (${COUNT} extensions, median of ${RUNS}; ${load}) | value | goal |`);
  console.log('|---|---|---|');
  for (const [name, value, goal] of rows) console.log(`| ${name} | ${value} | ${goal} |`);
  const missed = [];
  if (cold > GOALS.coldMs) missed.push(`cold resolve took ${s(cold)} (goal ${s(GOALS.coldMs)})`);
  if (maxRequests !== 0) missed.push(`--frozen made ${maxRequests} registry requests`);
  if (median(reinstall) > GOALS.reinstallMs)
    missed.push(`frozen reinstall took ${s(median(reinstall))} (goal ${s(GOALS.reinstallMs)})`);
  if (links.linked !== links.files)
    missed.push(`${links.files - links.linked} installed files are copies, not links`);
  if (ratio > GOALS.noopRatio) missed.push(`frozen no-op is ${ratio.toFixed(2)}× node -e 0`);
  if (peak.peakRssMb > GOALS.rssMb) missed.push(`${peak.label} peaked at ${peak.peakRssMb.toFixed(0)} MB`);
  if (missed.length > 0) {
    console.error(`goals missed: ${missed.join('; ')}`);
    process.exitCode = 1;
  }
} finally {
  await proxy?.close();
  await registry.stop();
  await tmp.remove();
}

/** Regular files under `dir` and how many of them share their inode (a hard link into the store). */
async function linkCounts(dir) {
  let files = 0;
  let linked = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    // module files only: a generation's own records (.generation.json, stamps, the lock copy) are written
    if (!/\/generations\/[^/]+\/(providers|taskservs|clusters)\//.test(path)) continue;
    files++;
    if ((await lstat(path)).nlink > 1) linked++;
  }
  return { files, linked };
}
