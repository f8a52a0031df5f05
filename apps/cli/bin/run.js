#!/usr/bin/env node
import { readFileSync } from 'node:fs';

// A workspace that pins another core runs its commands there (core-pin.js, docs/releasing.md "Core").
const argv = process.argv.slice(2);
const { delegateToPinnedCore, workspaceFlag } = await import('./core-pin.js');
if (!(await delegateToPinnedCore(argv)) && !(await answeredVersion(argv)) && !(await replayedNoop(argv)))
  await runCommand(argv);

/** `--version` / `-v` / `version` alone: one line, without oclif (src/version-line.ts). */
async function answeredVersion(args) {
  if (args.length !== 1) return false;
  const { VERSION_ARGS, versionLine } = await import('../dist/version-line.js');
  if (!VERSION_ARGS.has(args[0])) return false;
  process.stdout.write(`${versionLine(import.meta.url)}\n`);
  return true;
}

/**
 * A repeated no-op `dep resolve` prints its recorded answer without loading oclif or any library
 * (src/noop-replay.ts, docs/performance.md "The no-op answer"). `dist/build-id` names this build.
 */
async function replayedNoop(args) {
  if (args[0] !== 'dep' && args[0] !== 'dep:resolve') return false;
  let buildId;
  try {
    buildId = readFileSync(new URL('../dist/build-id', import.meta.url), 'utf8');
  } catch {
    return false;
  }
  const replay = await import('../dist/noop-replay.js');
  return replay.replayedNoop(args, buildId, workspaceFlag(args));
}

async function runCommand(args) {
  // node:v8 is loaded here, after the replay, which needs none of this (it loads streams and more)
  const { setFlagsFromString } = await import('node:v8');

  // undici parses HTTP with a WebAssembly build of llhttp. V8's optimising tier recompiled it in the
  // background after the first response: +35 MB peak RSS, and ≈ 0.15 s spent waiting for that
  // compile at exit, with no measurable gain in throughput (512 MiB downloads ran as fast on the
  // baseline tier). docs/performance.md, "Start-up".
  setFlagsFromString('--liftoff-only');

  // The young generation starts at 1 MB per semi-space and doubles up to 16 MB under allocation
  // pressure; the CLI's garbage is short-lived, so a grown young generation only holds dead buffers.
  // Not growing it kept 100 × 1 MiB copies 30-40 MB lower at the same CPU time (docs/performance.md,
  // "Memory"). `--max-semi-space-size` is read only when the heap is set up, too early for this
  // file; the growth factor is read each time the young generation would grow.
  setFlagsFromString('--semi-space-growth-factor=1');

  // dist/ is bundled (scripts/bundle.mjs); its source maps are read only when a stack trace is
  // asked for, so `--debug` stacks name src/*.ts lines without slowing down every other run.
  if (args.includes('--debug') || process.env.DEBUG) process.setSourceMapsEnabled(true);

  const { main } = await import('../dist/main.js');
  await main(args, import.meta.url);
}
