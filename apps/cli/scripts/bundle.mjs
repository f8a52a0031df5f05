// Bundles the CLI for start-up time: resolving and compiling ~600 small ESM/CJS modules (our
// packages' dist, oclif, zod, undici, yaml, …) cost most of every invocation (docs/performance.md,
// "Start-up"). Each command stays its own entry point at the path oclif's manifest names
// (dist/commands/<topic>/<verb>.js) and `dist/main.js` stays the bin's entry; code they share goes
// into `dist/chunks/`, and what a command imports lazily (`await import('@provisioning/workspace')`)
// stays in chunks of its own, loaded only when that command runs.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');

const isCommandSource = (name) =>
  name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts');
const commands = readdirSync(join(src, 'commands'), { recursive: true })
  .filter(isCommandSource)
  .map((name) => join(src, 'commands', name));

rmSync(dist, { recursive: true, force: true });

/** What both builds below share. */
const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Less source to scan and keep in memory (-14 MB RSS); identifiers stay, so names in stacks do too.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};

const result = await build({
  ...common,
  entryPoints: [join(src, 'main.ts'), ...commands],
  outdir: dist,
  outbase: src,
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  // Read only when the bin enables source maps (`--debug` / DEBUG): stack traces name our sources.
  sourcemap: 'linked',
  sourcesContent: false,
  // CommonJS dependencies (semver, oclif and its deps, undici) get a real `require` for the Node
  // built-ins they load.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  // Never loaded by the published CLI: nunjucks' optional file watcher (we render from strings)
  // and the TypeScript tooling oclif only looks for under NODE_ENV=development/test.
  external: ['chokidar', 'fsevents', 'typescript', 'ts-node', 'tsx', 'tsx/*'],
  plugins: [oneCopyOfTheLeanEntry(), packageRelativeImportMetaUrl(), englishOnlyZodLocales()],
  metafile: Boolean(process.env.BUNDLE_METAFILE),
});

/**
 * `@provisioning/workspace/lean` is published as a self-contained bundle (its own copies of zod,
 * yaml and the schemas). Here it is built from its modules instead, so it shares them with the rest
 * of the workspace package: a command that reads its configuration through `lean` and then loads
 * the full package compiles and keeps each module once. Errors no longer depend on this (they are
 * recognised by a brand, not by class identity), but without it the CLI's chunks grow from about
 * 4.1 MB to 5.4 MB and the bundle's `createRequire` banner is declared twice.
 */
function oneCopyOfTheLeanEntry() {
  return {
    name: 'one-copy-of-the-lean-entry',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^@provisioning\/workspace\/lean$/ }, async (args) => {
        const main = await pluginBuild.resolve('@provisioning/workspace', {
          kind: args.kind,
          resolveDir: args.resolveDir,
        });
        if (main.errors.length > 0) return { errors: main.errors };
        return { path: join(dirname(main.path), 'lean.js') };
      });
    },
  };
}

/**
 * A bundled module's `import.meta.url` would be the chunk's URL. Our packages use it to find files
 * next to their own modules (the registry server's `main.js`, which is spawned as a process), so it
 * becomes that module's URL inside the installed package, found through the package's exports.
 */
function packageRelativeImportMetaUrl() {
  return {
    name: 'package-relative-import-meta-url',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]dist[\\/].*\.js$/ }, async (args) => {
        const { readFile } = await import('node:fs/promises');
        const code = await readFile(args.path, 'utf8');
        if (!code.includes('import.meta.url')) return undefined;
        const packageRoot = args.path.slice(0, args.path.indexOf(`${sep}dist${sep}`));
        const { name } = JSON.parse(await readFile(join(packageRoot, 'package.json'), 'utf8'));
        const inPackage = relative(packageRoot, args.path).split(sep).join('/');
        const url = `new URL(${JSON.stringify(inPackage)}, import.meta.resolve(${JSON.stringify(`${name}/package.json`)})).href`;
        return {
          contents: code.replaceAll('import.meta.url', url),
          loader: 'js',
          resolveDir: dirname(args.path),
        };
      });
    },
  };
}

/**
 * `dist/noop-replay.js` and `dist/version-line.js` are loaded by bin/run.js before anything else
 * (src/noop-replay.ts, src/version-line.ts), so each is one self-contained file: in the split build above it would import most chunks to keep their
 * evaluation order, which is what it exists to avoid.
 */
await build({
  ...common,
  entryPoints: [join(src, 'noop-replay.ts'), join(src, 'version-line.ts')],
  outdir: dist,
});

/**
 * `dist/build-id`: the sha256 of everything built, so a recorded no-op answer (src/noop-replay.ts)
 * is never replayed by another build. Content-derived, so the same sources give the same id.
 */
function writeBuildId() {
  const hash = createHash('sha256');
  const files = readdirSync(dist, { recursive: true })
    .filter((name) => name.endsWith('.js'))
    .sort();
  for (const name of files)
    hash
      .update(name)
      .update('\0')
      .update(readFileSync(join(dist, name)));
  hash.update(readFileSync(join(root, 'package.json')));
  writeFileSync(join(dist, 'build-id'), hash.digest('hex'));
}
writeBuildId();

/**
 * zod re-exports its 60-odd message locales as `z.locales` (and `z.core.locales`) (≈ 340 KB of source); zod itself uses
 * English, set by default, and nothing of ours selects another. Inside the bundle `z.locales` holds
 * English alone, so no command compiles or keeps the rest.
 */
function englishOnlyZodLocales() {
  return {
    name: 'english-only-zod-locales',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
        if (!/[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)) return undefined;
        return { path: join(args.resolveDir, '..', 'locales', 'en-only.js'), namespace: 'zod-en-only' };
      });
      pluginBuild.onLoad({ filter: /.*/, namespace: 'zod-en-only' }, (args) => ({
        resolveDir: dirname(args.path),
        loader: 'js',
        contents: "export { default as en } from './en.js';\n",
      }));
    },
  };
}

// BUNDLE_METAFILE=path: esbuild's metafile, to see what went where (https://esbuild.github.io/analyze/).
if (result.metafile) {
  writeFileSync(process.env.BUNDLE_METAFILE, JSON.stringify(result.metafile));
}
