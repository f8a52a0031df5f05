#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// undici parses HTTP with a WebAssembly build of llhttp. V8's optimising tier recompiled it in the
// background after the first response: +35 MB peak RSS, and ≈ 0.15 s spent waiting for that
// compile at exit, with no measurable gain in throughput (512 MiB downloads ran as fast on the
// baseline tier). docs/performance.md, "Start-up".
setFlagsFromString('--liftoff-only');

// dist/ is bundled (scripts/bundle.mjs); its source maps are read only when a stack trace is
// asked for, so `--debug` stacks name src/*.ts lines without slowing down every other run.
if (process.argv.includes('--debug') || process.env.DEBUG) process.setSourceMapsEnabled(true);

// A workspace that pins another core runs its commands there (core-pin.js, docs/releasing.md "Core").
const argv = process.argv.slice(2);
const { delegateToPinnedCore } = await import('./core-pin.js');
if (!(await delegateToPinnedCore(argv))) {
  const { main } = await import('../dist/main.js');
  await main(argv, import.meta.url);
}
