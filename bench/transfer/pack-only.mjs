#!/usr/bin/env node
// Packs the extensions under SRC (each SRC/NAME/NAME) into OUT, CONCURRENCY at a time, in one
// process: the packing half of "publish from source", run alone so `node --cpu-prof` and
// `/usr/bin/time -v` see only the packager. Usage: node bench/transfer/pack-only.mjs SRC OUT [CONCURRENCY]
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { packExtension } = await import(
  pathToFileURL(join(repo, 'packages', 'packager', 'dist', 'index.js')).href
);
const [src, out, concurrency = '2'] = process.argv.slice(2);
const names = readdirSync(src).sort();
const started = performance.now();
const cpu = process.cpuUsage();
let next = 0;
const worker = async () => {
  while (next < names.length) {
    const name = names[next++];
    await packExtension(join(src, name, name), { outputDir: join(out, name) });
  }
};
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
const used = process.cpuUsage(cpu);
const ms = (used.user + used.system) / 1000;
console.log(
  `packed ${names.length} in ${((performance.now() - started) / 1000).toFixed(2)} s; main-thread+pool CPU ${(ms / names.length).toFixed(1)} ms per extension`,
);
