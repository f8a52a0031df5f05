// Bundles a platform app's container start file (src/main.ts) with everything it imports into
// dist/image/ (docs/platform.md, "Images"): `node dist/image/index.js` needs nothing but Node, so
// `platform image build` can pack that directory as the image's one layer.
// Usage (from the app's directory): node ../../scripts/bundle-app-image.mjs [--with-ui DIR]
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const appRoot = process.cwd();
// esbuild is the app's dev dependency: resolved from the app, not from this shared script
const esbuildPath = createRequire(join(appRoot, 'package.json')).resolve('esbuild');
const { build } = await import(pathToFileURL(esbuildPath).href);
const out = join(appRoot, 'dist', 'image');
const uiFlag = process.argv.indexOf('--with-ui');
const uiSource = uiFlag === -1 ? undefined : resolve(appRoot, process.argv[uiFlag + 1]);
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

// The control-center is static files with no server of its own: the api-gateway image serves them.
if (uiSource) {
  if (existsSync(join(uiSource, 'index.html'))) cpSync(uiSource, join(out, 'ui'), { recursive: true });
  else
    console.warn(
      `bundle-app-image: ${uiSource} has no index.html (build the control-center first); image without UI`,
    );
}
