// Bundles a platform app's container start file (src/main.ts) with everything it imports into
// dist/image/ (docs/platform.md, "Images"): `node dist/image/index.js` needs nothing but Node, so
// `platform image build` can pack that directory as the image's one layer.
// Usage (from the app's directory): node ../../scripts/bundle-app-image.mjs
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const appRoot = process.cwd();
// esbuild is the app's dev dependency: resolved from the app, not from this shared script
const esbuildPath = createRequire(join(appRoot, 'package.json')).resolve('esbuild');
const { build } = await import(pathToFileURL(esbuildPath).href);
const out = join(appRoot, 'dist', 'image');
const { version } = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8'));

rmSync(out, { recursive: true, force: true });
await build({
  absWorkingDir: appRoot,
  entryPoints: { index: join(appRoot, 'src', 'main.ts') },
  outdir: out,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  define: { __APP_VERSION__: JSON.stringify(version) },
  // CommonJS dependencies (semver, undici, …) get a real `require` for the Node built-ins they load.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  // never loaded at run time: nunjucks' optional file watcher and TypeScript tooling
  external: ['chokidar', 'fsevents', 'typescript', 'ts-node', 'tsx', 'tsx/*'],
});
