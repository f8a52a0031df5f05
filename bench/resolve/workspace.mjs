#!/usr/bin/env node
// Workspace benchmark (NOT a test): `dep resolve` of a 100-extension workspace against a local CNCF
// Distribution registry, run through the built CLI as a user runs it.
//   cold   : empty cache, nothing installed
//   warm   : cache filled, everything installed (a no-op run: tags listed, nothing downloaded)
//   frozen : `dep resolve --frozen` with a warm cache after deleting .provisioning (reinstall):
//            registry requests counted at a loopback proxy (target 0)
//   no-op frozen vs `provisioning --version`: median wall time ratio (target <= 2x)
// Needs `pnpm exec turbo run build` first. Exits non-zero when a target is missed.
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { numberArg } from '../lib/args.mjs';
import { startCountingProxy } from '../lib/counting-proxy.mjs';
import { dist } from '../lib/repo.mjs';
import { runCli } from '../lib/run-cli.mjs';
import { median, repeat } from '../lib/stats.mjs';

const { startDistribution, startHttpServer, tempDir } = await import(dist('testkit'));
const { packExtension, scaffoldExtension } = await import(dist('packager'));
const { Registry } = await import(dist('oci-client'));

// `node bench/resolve/workspace.mjs [--extensions N] [--runs N]`
const COUNT = numberArg('extensions', 100);
const RUNS = numberArg('runs', 5);
// the version `scaffoldExtension` writes (the tag must equal the manifest's version)
const VERSION = '1.0.0';

const registry = await startDistribution();
const tmp = await tempDir('bench-workspace-');
let proxy;
try {
  // a counting proxy in front of the registry
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
    await repo.pushManifest(
      packed.imageManifestBytes,
      packed.imageManifestDescriptor.mediaType,
      packed.manifest.version,
    );
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
  const cli = (args) => runCli(args, { cwd: ws, env });

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
  const noopBefore = proxy.counts.total;
  const frozenNoop = median(await repeat(RUNS, () => cli(['dep', 'resolve', '--frozen', '--json'])));
  frozenRequests.push(proxy.counts.total - noopBefore);
  const version = median(await repeat(RUNS, () => cli(['--version'])));

  const maxRequests = Math.max(...frozenRequests);
  const ratio = frozenNoop / version;
  const rows = [
    [`publish ${COUNT} extensions (pack + push)`, `${(publishMs / 1000).toFixed(1)} s`, ''],
    ['dep resolve, cold cache', `${(cold / 1000).toFixed(2)} s`, ''],
    ['dep resolve, warm (no-op)', `${(warm / 1000).toFixed(2)} s`, ''],
    ['dep resolve --frozen, warm cache, reinstall', `${(median(reinstall) / 1000).toFixed(2)} s`, ''],
    ['dep resolve --frozen registry requests', String(maxRequests), 'target 0'],
    ['dep resolve --frozen, no-op', `${(frozenNoop / 1000).toFixed(2)} s`, ''],
    ['provisioning --version', `${(version / 1000).toFixed(2)} s`, ''],
    ['frozen no-op / --version', `${ratio.toFixed(2)}×`, 'target <= 2×'],
  ];
  console.log(`| measurement (${COUNT} extensions, median of ${RUNS}) | value | target |`);
  console.log('|---|---|---|');
  for (const [name, value, target] of rows) console.log(`| ${name} | ${value} | ${target} |`);
  const missed = [];
  if (maxRequests !== 0) missed.push(`--frozen made ${maxRequests} registry requests`);
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
