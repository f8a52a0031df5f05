#!/usr/bin/env node
// Transfer benchmark (NOT a test): push and pull 100 extensions of ~1 MiB and one ~512 MiB
// artifact through a local CNCF Distribution registry with our CLI (a shell loop of invocations),
// with the library (one process, bounded concurrency), and with skopeo (one copy after another),
// then print wall times, throughput, peak RSS and PASS/MISS per target. Always exits 0.
// Needs `pnpm exec turbo run build`, docker-registry, skopeo and bash.
//
//   node bench/transfer/run.mjs [--count 100] [--small-mib 1] [--large-mib 512] [--concurrency 8]
import { writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeExtension } from './content.mjs';
import { measure, rssMethod } from './measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const dist = (pkg) => pathToFileURL(join(repo, 'packages', pkg, 'dist', 'index.js')).href;
const { requireBinary, startDistribution, tempDir } = await import(dist('testkit'));
const { scaffoldExtension } = await import(dist('packager'));

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const COUNT = arg('count', 100);
const SMALL_MIB = arg('small-mib', 1);
const LARGE_MIB = arg('large-mib', 512);
const CONCURRENCY = arg('concurrency', 8);
const VERSION = '0.1.0';
const CLI = join(repo, 'apps', 'cli', 'bin', 'run.js');
const LIBRARY = join(here, 'library.mjs');
const NODE = process.execPath;
const SKOPEO = requireBinary('skopeo');
const BASH = requireBinary('bash');
const MIB = 1024 * 1024;
const RSS_LIMIT_MB = 150;

const sh = (word) => `'${String(word).replaceAll("'", "'\\''")}'`;
const log = (line) => process.stderr.write(`${line}\n`);

const tmp = await tempDir('bench-transfer-');
const registry = await startDistribution();
let homes = 0;
/** A clean environment per measurement: temp HOME, a cold PROVISIONING_HOME, the bench registry. */
const freshEnv = () => ({
  PATH: process.env.PATH ?? '',
  HOME: join(tmp.path, 'user-home'),
  PROVISIONING_HOME: join(tmp.path, `provisioning-home-${homes++}`),
  PROVISIONING_REGISTRY: registry.host,
});
const cliArgs = (...args) => [CLI, ...args, '--plain-http'];

/** Runs `lines` one after another in one bash process (a shell loop), measured as a whole. */
async function shellLoop(label, lines, env) {
  const script = join(tmp.path, `${label}.sh`);
  writeFileSync(script, `set -e\n${lines.join('\n')}\n`);
  return measure(BASH, [script], { env, cwd: tmp.path });
}

async function library(label, job, env) {
  const file = join(tmp.path, `${label}.json`);
  writeFileSync(file, JSON.stringify({ registry: registry.host, concurrency: CONCURRENCY, ...job }));
  return measure(NODE, [LIBRARY, file], { env, cwd: tmp.path });
}

/** Runs `fn` over `items`, `limit` at a time. */
async function eachLimited(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

const rows = [];
const record = (group, what, result, bytes) => {
  rows.push({ group, what, ...result, mibPerSecond: bytes / MIB / result.seconds });
  log(`  ${what}: ${result.seconds.toFixed(2)} s, peak RSS ${result.peakRssMb.toFixed(0)} MB`);
  return result;
};

try {
  await mkdir(join(tmp.path, 'user-home'), { recursive: true });
  log(`registry ${registry.host}; work dir ${tmp.path}`);

  // ---- content (untimed) -------------------------------------------------------------------
  const small = [];
  for (let i = 0; i < COUNT; i++) {
    const name = `ext-${String(i).padStart(3, '0')}`;
    const dir = join(tmp.path, 'src', name, name);
    await makeExtension(scaffoldExtension, dir, name, SMALL_MIB * MIB, i);
    small.push({ name, dir, layout: join(tmp.path, 'layouts', name) });
  }
  const large = {
    name: 'large',
    dir: join(tmp.path, 'src', 'large', 'large'),
    layout: join(tmp.path, 'layouts', 'large'),
  };
  await makeExtension(scaffoldExtension, large.dir, large.name, LARGE_MIB * MIB, 'large');
  log(
    `generated ${COUNT} × ${SMALL_MIB} MiB and 1 × ${LARGE_MIB} MiB extensions; packing layouts for skopeo …`,
  );
  const layerBytes = new Map();
  await eachLimited([...small, large], 2, async (ext) => {
    const packed = await measure(
      NODE,
      cliArgs(
        'oci',
        'package',
        ext.dir,
        '--oci-layout',
        ext.layout,
        '--output',
        join(tmp.path, 'tarballs'),
        '--json',
      ),
      {
        env: freshEnv(),
        cwd: tmp.path,
      },
    );
    const json = JSON.parse(packed.stdout);
    layerBytes.set(ext.name, json.layer.size);
  });
  await rm(join(tmp.path, 'tarballs'), { recursive: true, force: true });
  const smallBytes = small.reduce((sum, ext) => sum + layerBytes.get(ext.name), 0);
  const largeBytes = layerBytes.get('large');

  // ---- 100 small: push --------------------------------------------------------------------
  log(`${COUNT} small extensions:`);
  const S = `${COUNT} × ${SMALL_MIB} MiB`;
  const cliPush = record(
    S,
    'push: CLI, shell loop',
    await shellLoop(
      'cli-push',
      small.map(
        (e) =>
          [NODE, ...cliArgs('oci', 'push', e.dir, e.name, VERSION, '--namespace', 'bench-cli')]
            .map(sh)
            .join(' ') + ' >/dev/null',
      ),
      freshEnv(),
    ),
    smallBytes,
  );
  const libPush = record(
    S,
    `push: library, 1 process, ${CONCURRENCY} at a time`,
    await library(
      'lib-push',
      {
        mode: 'push',
        namespace: 'bench-lib',
        items: small.map((e) => ({ dir: e.dir, name: e.name, version: VERSION })),
      },
      freshEnv(),
    ),
    smallBytes,
  );
  const skopeoPush = record(
    S,
    'push: skopeo copy, one after another',
    await shellLoop(
      'skopeo-push',
      small.map((e) =>
        [
          SKOPEO,
          'copy',
          '--quiet',
          `oci:${e.layout}:${VERSION}`,
          `docker://${registry.host}/bench-skopeo/${e.name}:${VERSION}`,
          '--dest-tls-verify=false',
        ]
          .map(sh)
          .join(' '),
      ),
      freshEnv(),
    ),
    smallBytes,
  );

  // ---- 100 small: pull (cold cache each) ------------------------------------------------------
  const cliPull = record(
    S,
    'pull: CLI, shell loop (cache + unpack)',
    await shellLoop(
      'cli-pull',
      small.map(
        (e) =>
          [
            NODE,
            ...cliArgs(
              'oci',
              'pull',
              `${e.name}:${VERSION}`,
              '--namespace',
              'bench-cli',
              '--output',
              join(tmp.path, 'pulled-cli', e.name),
            ),
          ]
            .map(sh)
            .join(' ') + ' >/dev/null',
      ),
      freshEnv(),
    ),
    smallBytes,
  );
  const libPull = record(
    S,
    `pull: library, 1 process, ${CONCURRENCY} at a time (cache + unpack)`,
    await library(
      'lib-pull',
      {
        mode: 'pull',
        namespace: 'bench-lib',
        items: small.map((e) => ({
          name: e.name,
          version: VERSION,
          output: join(tmp.path, 'pulled-lib', e.name),
        })),
      },
      freshEnv(),
    ),
    smallBytes,
  );
  await mkdir(join(tmp.path, 'pulled-skopeo'));
  const skopeoPull = record(
    S,
    'pull: skopeo copy to oci layouts, one after another',
    await shellLoop(
      'skopeo-pull',
      small.map((e) =>
        [
          SKOPEO,
          'copy',
          '--quiet',
          `docker://${registry.host}/bench-skopeo/${e.name}:${VERSION}`,
          `oci:${join(tmp.path, 'pulled-skopeo', e.name)}:${VERSION}`,
          '--src-tls-verify=false',
        ]
          .map(sh)
          .join(' '),
      ),
      freshEnv(),
    ),
    smallBytes,
  );
  await rm(join(tmp.path, 'pulled-cli'), { recursive: true, force: true });
  await rm(join(tmp.path, 'pulled-lib'), { recursive: true, force: true });
  await rm(join(tmp.path, 'pulled-skopeo'), { recursive: true, force: true });

  // ---- one large artifact --------------------------------------------------------------------
  log(`1 × ${LARGE_MIB} MiB:`);
  const L = `1 × ${LARGE_MIB} MiB`;
  const largePushDir = record(
    L,
    'push: CLI `oci push DIR` (packs + gzips, then uploads)',
    await measure(NODE, cliArgs('oci', 'push', large.dir, large.name, VERSION, '--namespace', 'bench-cli'), {
      env: freshEnv(),
    }),
    largeBytes,
  );
  const largePushCopy = record(
    L,
    'push: CLI `oci copy oci-layout:… REG/…` (transfer only)',
    await measure(
      NODE,
      cliArgs(
        'oci',
        'copy',
        `oci-layout:${large.layout}:${VERSION}`,
        `${registry.host}/bench-copy/${large.name}:${VERSION}`,
      ),
      { env: freshEnv() },
    ),
    largeBytes,
  );
  const largeSkopeoPush = record(
    L,
    'push: skopeo copy oci: → docker://',
    await measure(
      SKOPEO,
      [
        'copy',
        '--quiet',
        `oci:${large.layout}:${VERSION}`,
        `docker://${registry.host}/bench-skopeo/${large.name}:${VERSION}`,
        '--dest-tls-verify=false',
      ],
      { env: freshEnv() },
    ),
    largeBytes,
  );
  const largePullCopy = record(
    L,
    'pull: CLI `oci copy REG/… oci-layout:…` (transfer only)',
    await measure(
      NODE,
      cliArgs(
        'oci',
        'copy',
        `${registry.host}/bench-copy/${large.name}:${VERSION}`,
        `oci-layout:${join(tmp.path, 'pulled-large-cli')}:${VERSION}`,
      ),
      { env: freshEnv() },
    ),
    largeBytes,
  );
  await rm(join(tmp.path, 'pulled-large-cli'), { recursive: true, force: true });
  const largeSkopeoPull = record(
    L,
    'pull: skopeo copy docker:// → oci:',
    await measure(
      SKOPEO,
      [
        'copy',
        '--quiet',
        `docker://${registry.host}/bench-skopeo/${large.name}:${VERSION}`,
        `oci:${join(tmp.path, 'pulled-large-skopeo')}:${VERSION}`,
        '--src-tls-verify=false',
      ],
      { env: freshEnv() },
    ),
    largeBytes,
  );
  await rm(join(tmp.path, 'pulled-large-skopeo'), { recursive: true, force: true });
  // `oci pull` unpacks, and unpacking caps a file at 64 MiB and an extension at 256 MiB (hostile
  // archives); the large artifact is over both, so this is expected to be refused.
  let largePullNote;
  try {
    const env = freshEnv();
    const pulled = await measure(
      NODE,
      cliArgs(
        'oci',
        'pull',
        `${large.name}:${VERSION}`,
        '--namespace',
        'bench-cli',
        '--output',
        join(tmp.path, 'pulled-large-unpack'),
      ),
      { env },
    );
    largePullNote = `oci pull (cache + unpack) succeeded in ${pulled.seconds.toFixed(2)} s`;
  } catch (error) {
    largePullNote = `oci pull (cache + unpack) refused: ${
      String(error.message)
        .split('\n')
        .find((l) => l.startsWith('error:')) ?? error.message
    }`;
  }
  await rm(join(tmp.path, 'src', 'large'), { recursive: true, force: true });
  await rm(large.layout, { recursive: true, force: true });

  // ---- report ---------------------------------------------------------------------------------
  const pad = (s, n) => String(s).padEnd(n);
  const width = Math.max(...rows.map((r) => r.what.length));
  console.log(
    `\nTransfer benchmark — ${new Date().toISOString()}, ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, Node ${process.version}, RSS via ${rssMethod}`,
  );
  console.log(
    `small: ${COUNT} extensions, ${(smallBytes / MIB).toFixed(1)} MiB of layers; large: ${(largeBytes / MIB).toFixed(1)} MiB layer\n`,
  );
  console.log(`${pad('case', 14)}${pad('what', width + 2)}${pad('wall s', 9)}${pad('MiB/s', 8)}peak RSS MB`);
  for (const r of rows) {
    console.log(
      `${pad(r.group, 14)}${pad(r.what, width + 2)}${pad(r.seconds.toFixed(2), 9)}${pad(r.mibPerSecond.toFixed(1), 8)}${r.peakRssMb.toFixed(0)}`,
    );
  }
  console.log(`\n${largePullNote}\n`);

  const verdict = (ok) => (ok ? 'PASS' : 'MISS');
  const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
  const targets = [
    [
      `small push, library vs skopeo sequential ≥ 3×`,
      skopeoPush.seconds / libPush.seconds >= 3,
      ratio(skopeoPush.seconds, libPush.seconds),
    ],
    [
      `small pull, library vs skopeo sequential ≥ 3×`,
      skopeoPull.seconds / libPull.seconds >= 3,
      ratio(skopeoPull.seconds, libPull.seconds),
    ],
    [
      `small push, CLI loop vs skopeo sequential ≥ 3×`,
      skopeoPush.seconds / cliPush.seconds >= 3,
      ratio(skopeoPush.seconds, cliPush.seconds),
    ],
    [
      `small pull, CLI loop vs skopeo sequential ≥ 3×`,
      skopeoPull.seconds / cliPull.seconds >= 3,
      ratio(skopeoPull.seconds, cliPull.seconds),
    ],
    [
      `large push throughput (oci copy) ≥ 0.9× skopeo`,
      largeSkopeoPush.seconds / largePushCopy.seconds >= 0.9,
      ratio(largeSkopeoPush.seconds, largePushCopy.seconds),
    ],
    [
      `large push throughput (oci push DIR, incl. packing) ≥ 0.9× skopeo`,
      largeSkopeoPush.seconds / largePushDir.seconds >= 0.9,
      ratio(largeSkopeoPush.seconds, largePushDir.seconds),
    ],
    [
      `large pull throughput (oci copy) ≥ 0.9× skopeo`,
      largeSkopeoPull.seconds / largePullCopy.seconds >= 0.9,
      ratio(largeSkopeoPull.seconds, largePullCopy.seconds),
    ],
  ];
  const ours = rows.filter((r) => !r.what.includes('skopeo'));
  const maxRss = Math.max(...ours.map((r) => r.peakRssMb));
  targets.push([
    `our peak RSS < ${RSS_LIMIT_MB} MB in every case`,
    maxRss < RSS_LIMIT_MB,
    `max ${maxRss.toFixed(0)} MB`,
  ]);
  const tw = Math.max(...targets.map((t) => t[0].length));
  for (const [name, ok, figure] of targets) console.log(`${verdict(ok)}  ${pad(name, tw + 2)}${figure}`);
} catch (error) {
  console.log(`benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await registry.stop();
  await tmp.remove();
}
