#!/usr/bin/env node
// Transfer benchmark (NOT a test): push and pull 100 extensions of ~1 MiB with our CLI (one
// process: `oci copy` of 100 layouts into a namespace and back, `oci pull` of 100 references),
// with the library (packing from source directories, one process) and with skopeo (one copy after
// another); then one ~512 MiB artifact with `oci copy` and skopeo, both ways (an extension is capped
// at 256 MiB, so the large one is a plain artifact in an OCI layout). Prints wall times,
// throughput, peak RSS and PASS/MISS per target; exits 1 when a goal is missed
// (or the run fails), saying which.
// Needs `pnpm exec turbo run build`, docker-registry, skopeo, bash (and /usr/bin/time for RSS).
//
//   node bench/transfer/run.mjs [--count 100] [--small-mib 1] [--large-mib 512] [--concurrency 8]
import { writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { numberArg as arg } from '../lib/args.mjs';
import { measure, processCpuSeconds, rssMethod } from '../lib/measure.mjs';
import { makeExtension, makeLargeLayout } from './content.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const dist = (pkg) => pathToFileURL(join(repo, 'packages', pkg, 'dist', 'index.js')).href;
const { requireBinary, startDistribution, tempDir } = await import(dist('testkit'));
const { packExtension, scaffoldExtension } = await import(dist('packager'));
const { OciLayout } = await import(dist('oci-client'));
const { storePackedInLayout } = await import(dist('workspace'));

const COUNT = arg('count', 100);
const SMALL_MIB = arg('small-mib', 1);
const LARGE_MIB = arg('large-mib', 512);
const CONCURRENCY = arg('concurrency', 8);
// the version every small extension is scaffolded at (layouts and registry are tagged with it)
const VERSION = '0.1.0';
const CLI = join(repo, 'apps', 'cli', 'bin', 'run.js');
const LIBRARY = join(here, 'library.mjs');
const NODE = process.execPath;
const SKOPEO = requireBinary('skopeo');
const BASH = requireBinary('bash');
const MIB = 1024 * 1024;
const RSS_LIMIT_MB = 150;
// issue 18's goals
const FLOOR_RATIO_GOAL = 1.1;
const CLI_RSS_GOAL_MB = 80;
const LIBRARY_RSS_GOAL_MB = 100;

const sh = (word) => `'${String(word).replaceAll("'", "'\\''")}'`;
const line = (words) => words.map(sh).join(' ');
const log = (text) => process.stderr.write(`${text}\n`);

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
// BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" (or `-r FILE`) goes to every CLI run, as in
// bench/resolve; a bench-only knob, read once (not a build input)
const { BENCH_NODE_ARGS } = process.env;
const nodeArgs = (BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const cli = (...args) => [NODE, ...nodeArgs, CLI, ...args, '--plain-http'];

/** Runs `lines` one after another in one bash process (a shell loop), measured as a whole. */
function shellLoop(label, lines) {
  const script = join(tmp.path, `${label}.sh`);
  writeFileSync(script, `set -e\n${lines.join('\n')}\n`);
  return measure(BASH, [script], { env: freshEnv(), cwd: tmp.path });
}

function library(label, job) {
  const file = join(tmp.path, `${label}.json`);
  writeFileSync(file, JSON.stringify({ registry: registry.host, concurrency: CONCURRENCY, ...job }));
  return measure(NODE, [LIBRARY, file], { env: freshEnv(), cwd: tmp.path });
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
/**
 * Records one measurement with the registry's CPU time during it: Distribution runs on the same
 * cores, so (its CPU + ours) / cores is the floor under the wall time on this machine.
 */
async function record(group, what, run, bytes) {
  const registryBefore = processCpuSeconds(registry.pid);
  const result = await run;
  const registryAfter = processCpuSeconds(registry.pid);
  const registryCpu =
    registryBefore === undefined || registryAfter === undefined ? undefined : registryAfter - registryBefore;
  const row = { group, what, ...result, registryCpu, mibPerSecond: bytes / MIB / result.seconds };
  rows.push(row);
  log(`  ${what}: ${result.seconds.toFixed(2)} s, peak RSS ${result.peakRssMb.toFixed(0)} MB`);
  return row;
}

try {
  await mkdir(join(tmp.path, 'user-home'), { recursive: true });
  log(`registry ${registry.host}; work dir ${tmp.path}`);

  // ---- content (untimed) -----------------------------------------------------------------------
  const small = [];
  for (let i = 0; i < COUNT; i++) {
    const name = `ext-${String(i).padStart(3, '0')}`;
    const dir = join(tmp.path, 'src', name, name);
    await makeExtension(scaffoldExtension, dir, name, VERSION, SMALL_MIB * MIB, i);
    small.push({ name, dir, layout: join(tmp.path, 'layouts', name) });
  }
  const largeLayout = join(tmp.path, 'layouts', 'large');
  const largeBytes = await makeLargeLayout(
    OciLayout,
    largeLayout,
    join(tmp.path, 'large.bin'),
    LARGE_MIB * MIB,
    VERSION,
  );
  log(`generated ${COUNT} × ${SMALL_MIB} MiB extensions and a ${LARGE_MIB} MiB artifact; packing layouts …`);
  let smallBytes = 0;
  const tarballs = join(tmp.path, 'tarballs');
  await eachLimited(small, 2, async (ext) => {
    const packed = await packExtension(ext.dir, { outputDir: tarballs });
    await storePackedInLayout(packed, ext.layout);
    smallBytes += packed.layer.descriptor.size;
  });
  await rm(tarballs, { recursive: true, force: true });

  // ---- 100 small: push, then pull with a cold cache ----------------------------------------------
  log(`${COUNT} small extensions:`);
  const S = `${COUNT} × ${SMALL_MIB} MiB`;
  const jobs = ['--jobs', String(CONCURRENCY)];
  const runCli = (args) => measure(NODE, cli(...args).slice(1), { env: freshEnv(), cwd: tmp.path });
  const cliPush = await record(
    S,
    `push: CLI \`oci copy\` ${COUNT} layouts → namespace, 1 process, ${CONCURRENCY} at a time`,
    runCli([
      'oci',
      'copy',
      ...small.map((e) => `oci-layout:${e.layout}:${VERSION}`),
      `${registry.host}/bench-cli`,
      ...jobs,
    ]),
    smallBytes,
  );
  const libraryPush = await record(
    S,
    `push: library from source dirs (pack + push), 1 process, ${CONCURRENCY} at a time`,
    library('lib-push', {
      mode: 'push',
      namespace: 'bench-lib',
      items: small.map((e) => ({ dir: e.dir, name: e.name, version: VERSION })),
    }),
    smallBytes,
  );
  const skopeoPush = await record(
    S,
    'push: skopeo copy, one after another',
    shellLoop(
      'skopeo-push',
      small.map((e) =>
        line([
          SKOPEO,
          'copy',
          '--quiet',
          `oci:${e.layout}:${VERSION}`,
          `docker://${registry.host}/bench-skopeo/${e.name}:${VERSION}`,
          '--dest-tls-verify=false',
        ]),
      ),
    ),
    smallBytes,
  );
  const pulled = (kind) => join(tmp.path, `pulled-${kind}`);
  const cliPull = await record(
    S,
    `pull: CLI \`oci copy\` namespace → ${COUNT} layouts, 1 process, ${CONCURRENCY} at a time`,
    runCli([
      'oci',
      'copy',
      ...small.map((e) => `${registry.host}/bench-cli/${e.name}:${VERSION}`),
      `oci-layout:${pulled('cli-layouts')}`,
      ...jobs,
    ]),
    smallBytes,
  );
  await record(
    S,
    `pull: CLI \`oci pull\` ${COUNT} refs (cache + verified unpack), 1 process`,
    runCli([
      'oci',
      'pull',
      ...small.map((e) => `${registry.host}/bench-cli/${e.name}:${VERSION}`),
      '--output',
      pulled('cli-unpacked'),
      ...jobs,
    ]),
    smallBytes,
  );
  await mkdir(pulled('skopeo'));
  const skopeoPull = await record(
    S,
    'pull: skopeo copy to oci layouts, one after another',
    shellLoop(
      'skopeo-pull',
      small.map((e) =>
        line([
          SKOPEO,
          'copy',
          '--quiet',
          `docker://${registry.host}/bench-skopeo/${e.name}:${VERSION}`,
          `oci:${join(pulled('skopeo'), e.name)}:${VERSION}`,
          '--src-tls-verify=false',
        ]),
      ),
    ),
    smallBytes,
  );
  for (const kind of ['cli-layouts', 'cli-unpacked', 'skopeo'])
    await rm(pulled(kind), { recursive: true, force: true });
  await rm(join(tmp.path, 'src'), { recursive: true, force: true });

  // ---- one large artifact ------------------------------------------------------------------------
  log(`1 × ${LARGE_MIB} MiB:`);
  const L = `1 × ${LARGE_MIB} MiB`;
  const largeRef = (ns) => `${registry.host}/${ns}/large:${VERSION}`;
  const largePush = await record(
    L,
    'push: CLI `oci copy oci-layout:… REG/…`',
    measure(
      NODE,
      cli('oci', 'copy', `oci-layout:${largeLayout}:${VERSION}`, largeRef('bench-cli')).slice(1),
      { env: freshEnv() },
    ),
    largeBytes,
  );
  const largeSkopeoPush = await record(
    L,
    'push: skopeo copy oci: → docker://',
    measure(
      SKOPEO,
      [
        'copy',
        '--quiet',
        `oci:${largeLayout}:${VERSION}`,
        `docker://${largeRef('bench-skopeo')}`,
        '--dest-tls-verify=false',
      ],
      { env: freshEnv() },
    ),
    largeBytes,
  );
  await rm(largeLayout, { recursive: true, force: true });
  const largeOut = (kind) => join(tmp.path, `pulled-large-${kind}`);
  const largePull = await record(
    L,
    'pull: CLI `oci copy REG/… oci-layout:…`',
    measure(
      NODE,
      cli('oci', 'copy', largeRef('bench-cli'), `oci-layout:${largeOut('cli')}:${VERSION}`).slice(1),
      { env: freshEnv() },
    ),
    largeBytes,
  );
  await rm(largeOut('cli'), { recursive: true, force: true });
  const largeSkopeoPull = await record(
    L,
    'pull: skopeo copy docker:// → oci:',
    measure(
      SKOPEO,
      [
        'copy',
        '--quiet',
        `docker://${largeRef('bench-skopeo')}`,
        `oci:${largeOut('skopeo')}:${VERSION}`,
        '--src-tls-verify=false',
      ],
      { env: freshEnv() },
    ),
    largeBytes,
  );
  await rm(largeOut('skopeo'), { recursive: true, force: true });

  // ---- report ------------------------------------------------------------------------------------
  const pad = (text, n) => String(text).padEnd(n);
  const width = Math.max(...rows.map((r) => r.what.length));
  console.log(
    `\nTransfer benchmark — ${new Date().toISOString()}, ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, Node ${process.version}, RSS via ${rssMethod}`,
  );
  console.log(
    `small: ${COUNT} extensions, ${(smallBytes / MIB).toFixed(1)} MiB of layers; large: one artifact, ${(largeBytes / MIB).toFixed(1)} MiB layer\n`,
  );
  const seconds = (value) => (value === undefined ? '–' : value.toFixed(2));
  console.log(
    `${pad('case', 14)}${pad('what', width + 2)}${pad('wall s', 9)}${pad('MiB/s', 8)}${pad('RSS MB', 8)}${pad('CPU s', 8)}registry CPU s`,
  );
  for (const r of rows) {
    console.log(
      `${pad(r.group, 14)}${pad(r.what, width + 2)}${pad(r.seconds.toFixed(2), 9)}${pad(r.mibPerSecond.toFixed(1), 8)}${pad(r.peakRssMb.toFixed(0), 8)}${pad(seconds(r.cpuSeconds), 8)}${seconds(r.registryCpu)}`,
    );
  }
  // Everything runs on these cores: no wall time can beat (our CPU + the registry's) / cores.
  const floor = (r) =>
    r.cpuSeconds === undefined || r.registryCpu === undefined
      ? ''
      : `; CPU floor on ${cpus().length} cores ${((r.cpuSeconds + r.registryCpu) / cpus().length).toFixed(2)} s`;
  console.log('');
  const ratio = (skopeo, ours) =>
    `${(skopeo.seconds / ours.seconds).toFixed(2)}× (skopeo ${skopeo.seconds.toFixed(2)} s / ours ${ours.seconds.toFixed(2)} s${floor(ours)})`;
  const targets = [
    [
      'small push: CLI (one process) vs skopeo one after another, ≥ 3× faster',
      skopeoPush.seconds / cliPush.seconds >= 3,
      ratio(skopeoPush, cliPush),
    ],
    [
      'small pull: CLI (one process) vs skopeo one after another, ≥ 3× faster',
      skopeoPull.seconds / cliPull.seconds >= 3,
      ratio(skopeoPull, cliPull),
    ],
    [
      'large push: throughput ≥ 0.9× skopeo',
      largeSkopeoPush.seconds / largePush.seconds >= 0.9,
      ratio(largeSkopeoPush, largePush),
    ],
    [
      'large pull: throughput ≥ 0.9× skopeo',
      largeSkopeoPull.seconds / largePull.seconds >= 0.9,
      ratio(largeSkopeoPull, largePull),
    ],
  ];
  // Publishing from source packs as well as pushes: packing should hide behind the transfers.
  targets.push([
    'publish from source (library pack + push) ÷ CLI push of the ready layouts ≤ 1.3',
    libraryPush.seconds / cliPush.seconds <= 1.3,
    `${(libraryPush.seconds / cliPush.seconds).toFixed(2)} (${libraryPush.seconds.toFixed(2)} s / ${cliPush.seconds.toFixed(2)} s)`,
  ]);
  // Issue 18's table: how close the one-process CLI copies come to the CPU floor of this machine.
  const floorSeconds = (r) =>
    r.cpuSeconds === undefined || r.registryCpu === undefined
      ? undefined
      : (r.cpuSeconds + r.registryCpu) / cpus().length;
  for (const [label, r] of [
    ['small push', cliPush],
    ['small pull', cliPull],
  ]) {
    const f = floorSeconds(r);
    targets.push([
      `${label}: CLI wall ÷ CPU floor ((our CPU + registry CPU) / ${cpus().length} cores) ≤ ${FLOOR_RATIO_GOAL}`,
      f !== undefined && r.seconds / f <= FLOOR_RATIO_GOAL,
      f === undefined
        ? 'no CPU figures (needs GNU time)'
        : `${(r.seconds / f).toFixed(2)} (${r.seconds.toFixed(2)} s ÷ ${f.toFixed(2)} s)`,
    ]);
  }
  const ours = rows.filter((r) => !r.what.includes('skopeo'));
  const maxRss = Math.max(...ours.map((r) => r.peakRssMb));
  targets.push([
    `our peak RSS < ${RSS_LIMIT_MB} MB in every case`,
    maxRss < RSS_LIMIT_MB,
    `max ${maxRss.toFixed(0)} MB`,
  ]);
  const peakOf = (list) => list.reduce((a, b) => (b.peakRssMb > a.peakRssMb ? b : a));
  const cliPeak = peakOf(ours.filter((r) => r !== libraryPush));
  targets.push([
    `CLI peak RSS ≤ ${CLI_RSS_GOAL_MB} MB in every case`,
    cliPeak.peakRssMb <= CLI_RSS_GOAL_MB,
    `max ${cliPeak.peakRssMb.toFixed(0)} MB (${cliPeak.group}, ${cliPeak.what.split(',')[0]})`,
  ]);
  targets.push([
    `library pack + push peak RSS ≤ ${LIBRARY_RSS_GOAL_MB} MB`,
    libraryPush.peakRssMb <= LIBRARY_RSS_GOAL_MB,
    `${libraryPush.peakRssMb.toFixed(0)} MB`,
  ]);
  const tw = Math.max(...targets.map((t) => t[0].length));
  for (const [name, ok, figure] of targets)
    console.log(`${ok ? 'PASS' : 'MISS'}  ${pad(name, tw + 2)}${figure}`);
  const missed = targets.filter((t) => !t[1]).length;
  if (missed > 0) {
    console.log(`${missed} goal(s) missed (MISS rows above)`);
    process.exitCode = 1;
  }
} catch (error) {
  console.log(`benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await registry.stop();
  await tmp.remove();
}
