#!/usr/bin/env node
// One process pushing or pulling many extensions through @provisioning/workspace with bounded
// concurrency (what a tool embedding the library does), spawned by run.mjs so its own peak RSS is
// measured. Usage (run.mjs writes the job file):
//   node bench/transfer/library.mjs JOB.json
//   JOB: { mode: "push" | "pull", registry, namespace, concurrency, items: [{ dir, name, version, output }] }
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { loadEffectiveConfig, pullExtension, pushExtension, withOciSession } = await import(
  pathToFileURL(join(repo, 'packages', 'workspace', 'dist', 'index.js')).href
);

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const config = await loadEffectiveConfig({
  cwd: process.cwd(),
  env: process.env,
  flags: { registry: job.registry, namespace: job.namespace, plainHttp: true },
});

await withOciSession(config, {}, async (session) => {
  let next = 0;
  const worker = async () => {
    while (next < job.items.length) {
      const item = job.items[next++];
      if (job.mode === 'push') {
        await pushExtension(session, item.dir, { name: item.name, version: item.version });
      } else {
        await pullExtension(session, `${item.name}:${item.version}`, { output: item.output });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(job.concurrency, job.items.length) }, worker));
});
console.log(`${job.mode}: ${job.items.length} done`);
