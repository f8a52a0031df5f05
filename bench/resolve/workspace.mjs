#!/usr/bin/env node
// Workspace benchmark (NOT a test): `dep resolve` of a 100-extension workspace against a local CNCF
// Distribution registry, run through the built CLI as a user runs it.
//   cold   : empty cache, nothing installed
//   warm   : cache filled, everything installed (a no-op run: tags listed, nothing downloaded)
//   frozen : `dep resolve --frozen` with a warm cache after deleting .provisioning (reinstall):
//            registry requests counted at a loopback proxy (target 0)
//            and installed files hard-linked from the cache's tree store (target <= 0.6 s)
//   no-op frozen vs `provisioning --version`: median wall time ratio (target <= 2x)
// Needs `pnpm exec turbo run build` first. Exits non-zero when a target is missed, saying which.
// BENCH_REPO=/path/to/checkout runs another (built) checkout's CLI, for before/after figures.
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// bench-only knobs, read once (not build inputs)
const { BENCH_REPO, BENCH_NODE_ARGS } = process.env;
const repo = BENCH_REPO ? resolve(BENCH_REPO) : resolve(here, '..', '..');
const dist = (pkg) => join(repo, 'packages', pkg, 'dist', 'index.js');
const { startDistribution, startHttpServer, tempDir } = await import(dist('testkit'));
const { packExtension, scaffoldExtension } = await import(dist('packager'));
const { Registry } = await import(dist('oci-client'));
const { createReadStream } = await import('node:fs');
const { readFile } = await import('node:fs/promises');

// `node bench/resolve/workspace.mjs [--extensions N] [--runs N]`
const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const COUNT = arg('extensions', 100);
const RUNS = arg('runs', 5);
const CLI = join(repo, 'apps', 'cli', 'bin', 'run.js');
// the version `scaffoldExtension` writes: a tag must match the manifest
const VERSION = '1.0.0';
const REINSTALL_GOAL_MS = 600;

const registry = await startDistribution();
const tmp = await tempDir('bench-workspace-');
let proxy;
try {
  // a counting proxy in front of the registry
  let requests = 0;
  proxy = await startHttpServer(
    (req, res) =>
      new Promise((done, fail) => {
        requests++;
        const [host, port] = registry.host.split(':');
        const up = request(
          {
            host,
            port: Number(port),
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: registry.host },
          },
          (upRes) => {
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            upRes.pipe(res);
            upRes.on('end', done);
          },
        );
        up.on('error', fail);
        req.pipe(up);
      }),
  );

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
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" profiles every CLI run
  const nodeArgs = (BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // async spawn: the counting proxy lives in this process and must keep serving meanwhile
  const cli = (args) =>
    new Promise((resolvePromise, reject) => {
      const t0 = performance.now();
      const child = spawn(process.execPath, [...nodeArgs, CLI, ...args], {
        cwd: ws,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('exit', (code) => {
        const ms = performance.now() - t0;
        if (code !== 0) reject(new Error(`provisioning ${args.join(' ')} failed:\n${stderr}`));
        else resolvePromise(ms);
      });
    });
  const repeat = async (n, fn) => {
    const out = [];
    for (let i = 0; i < n; i++) out.push(await fn());
    return out;
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  const cold = await cli(['dep', 'resolve', '--json']);
  console.error(`cold resolve ${(cold / 1000).toFixed(2)} s`);
  const warm = median(await repeat(RUNS, () => cli(['dep', 'resolve', '--json'])));
  const reinstall = [];
  const frozenRequests = [];
  for (let r = 0; r < RUNS; r++) {
    await rm(join(ws, '.provisioning'), { recursive: true, force: true });
    const before = requests;
    reinstall.push(await cli(['dep', 'resolve', '--frozen', '--json']));
    frozenRequests.push(requests - before);
  }
  const noopBefore = requests;
  const frozenNoop = median(await repeat(RUNS, () => cli(['dep', 'resolve', '--frozen', '--json'])));
  frozenRequests.push(requests - noopBefore);
  const version = median(await repeat(RUNS, () => cli(['--version'])));

  const maxRequests = Math.max(...frozenRequests);
  const ratio = frozenNoop / version;
  const rows = [
    [`publish ${COUNT} extensions (pack + push)`, `${(publishMs / 1000).toFixed(1)} s`, ''],
    ['dep resolve, cold cache', `${(cold / 1000).toFixed(2)} s`, ''],
    ['dep resolve, warm (no-op)', `${(warm / 1000).toFixed(2)} s`, ''],
    [
      'dep resolve --frozen, warm cache, reinstall',
      `${(median(reinstall) / 1000).toFixed(2)} s`,
      'target <= 0.6 s',
    ],
    ['dep resolve --frozen registry requests', String(maxRequests), 'target 0'],
    ['dep resolve --frozen, no-op', `${(frozenNoop / 1000).toFixed(2)} s`, ''],
    ['provisioning --version', `${(version / 1000).toFixed(2)} s`, ''],
    ['frozen no-op / --version', `${ratio.toFixed(2)}×`, 'target <= 2×'],
  ];
  const { loadavg } = await import('node:os');
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`| measurement (${COUNT} extensions, median of ${RUNS}) | value | target |`);
  console.log('|---|---|---|');
  for (const [name, value, target] of rows) console.log(`| ${name} | ${value} | ${target} |`);
  const missed = [];
  if (maxRequests !== 0) missed.push(`--frozen made ${maxRequests} registry requests`);
  if (median(reinstall) > REINSTALL_GOAL_MS)
    missed.push(`frozen reinstall took ${(median(reinstall) / 1000).toFixed(2)} s (goal 0.6 s)`);
  if (ratio > 2) missed.push(`frozen no-op is ${ratio.toFixed(2)}× --version`);
  if (missed.length > 0) {
    console.error(`targets missed: ${missed.join('; ')}`);
    process.exitCode = 1;
  }
} finally {
  await proxy?.close();
  await registry.stop();
  await tmp.remove();
}
