// Bundles the `./lean` entry point (configuration + the frozen up-to-date check) into one file:
// resolving and loading ~100 small modules costs more than the work a no-op `dep resolve --frozen`
// does, and that command should cost little more than the CLI's start-up (docs/performance.md).
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../dist/lean.js', import.meta.url).pathname],
  outfile: new URL('../dist/lean.bundle.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // yaml and semver are CommonJS: give the bundle a real `require` for their built-in imports
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
