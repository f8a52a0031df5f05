#!/usr/bin/env node
// dist/ is bundled (scripts/bundle.mjs); its source maps are read only when a stack trace is
// asked for, so `--debug` stacks name src/*.ts lines without slowing down every other run.
if (process.argv.includes('--debug') || process.env.DEBUG) process.setSourceMapsEnabled(true);

const { main } = await import('../dist/main.js');
await main(process.argv.slice(2), import.meta.url);
