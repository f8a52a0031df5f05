// `pnpm demo`: the main job on the bundled example workspace, with no server and whatever
// PROVISIONING_HOME the user has (an empty one is fine):
//   1. publish every extension under extensions/ into the local registry's storage (the embedded
//      OCI layout when nothing serves localhost:5000), skipping those already there with the same digest;
//   2. publish two small placeholder platform images the example pins (orchestrator, control-center);
//   3. `provisioning dep resolve` on examples/workspace (install + lockfile), then `dep tree`;
//   4. print a summary of config/provisioning.lock.
// A second run publishes nothing and installs nothing new.
// `--workspace DIR` runs it on a copy of the example workspace instead (the tests do).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: options } = parseArgs({ options: { workspace: { type: 'string' } } });
const workspaceDir = options.workspace ? resolve(options.workspace) : join(root, 'examples', 'workspace');
const workspaceLabel = relative(root, workspaceDir).startsWith('..')
  ? workspaceDir
  : relative(root, workspaceDir);
const cliBin = join(root, 'apps', 'cli', 'bin', 'run.js');
const started = Date.now();

for (const built of [
  'apps/cli/dist/main.js',
  'packages/workspace/dist/index.js',
  'packages/packager/dist/index.js',
]) {
  if (!existsSync(join(root, built))) fail(`${built} is missing`, 'run `pnpm build` first');
}
const lib = (path) => import(pathToFileURL(join(root, path)).href);
const workspace = await lib('packages/workspace/dist/index.js');
const { packExtension } = await lib('packages/packager/dist/index.js');

// a registry recorded by `oci-registry start` that died fails here, with what to do (docs/registry.md)
const config = await workspace
  .applyEmbeddedDefault(
    await workspace.loadEffectiveConfig({ cwd: root, env: process.env, flags: { workspace: workspaceDir } }),
  )
  .catch((error) => fail(error.message, error.hint));
const embedded = config.registryType.value === 'oci-layout';
heading('storage');
console.log(
  embedded
    ? `embedded OCI layout storage ${config.layoutPath.value}\n(no registry answers on ${config.registry.value}; \`provisioning oci-registry start\` would serve this same storage)`
    : `registry ${config.registry.value} (it answers, so everything goes there over HTTP; \`provisioning oci-registry status\` says what serves it)`,
);

let published = 0;
try {
  await workspace.withOciSession(config, {}, async (session) => {
    heading('publish extensions/');
    const rows = [];
    for (const dir of extensionDirs()) rows.push(await publishIfChanged(session, dir));
    printRows(rows);
    heading('publish platform images');
    const images = [];
    for (const name of ['orchestrator', 'control-center'])
      images.push(await publishPlaceholderImage(session, name, 'v1.2.0'));
    printRows(images);
  });
} catch (error) {
  fail(error.message, error.hint);
}

heading(`dep resolve (${workspaceLabel})`);
const resolved = JSON.parse(cli(['dep', 'resolve', '--json'], { capture: true }));
const changed = resolved.modules.filter((m) => m.action !== 'keep');
for (const m of resolved.modules) {
  const action = m.action === 'keep' ? 'unchanged' : m.action;
  console.log(`  ${m.name.padEnd(12)} ${m.version.padEnd(8)} ${action}`);
}
console.log(
  resolved.installed
    ? `installed ${resolved.modules.length} modules (${changed.length} changed) into ${workspaceLabel}/.provisioning/extensions`
    : `nothing new to install: all ${resolved.modules.length} modules were already installed and locked`,
);

heading('dependency tree');
cli(['dep', 'tree']);

heading(`lockfile ${workspaceLabel}/config/provisioning.lock`);
const lock = await workspace.readLockfile(workspaceDir);
const modules = Object.entries(lock.modules).sort(([a], [b]) => (a < b ? -1 : 1));
for (const [name, mod] of modules) {
  console.log(`  ${name.padEnd(15)} ${mod.type.padEnd(9)} ${mod.version.padEnd(8)} ${mod.manifest_digest}`);
}
for (const [name, img] of Object.entries(lock.platform?.images ?? {})) {
  const tag = img.reference.slice(img.reference.lastIndexOf(':') + 1);
  console.log(`  ${name.padEnd(15)} ${'image'.padEnd(9)} ${tag.padEnd(8)} ${img.digest}`);
}
console.log(
  `${modules.length} modules and ${Object.keys(lock.platform?.images ?? {}).length} platform images pinned by digest; ` +
    `${published} artifacts published this run; ${((Date.now() - started) / 1000).toFixed(1)} s`,
);

function extensionDirs() {
  const dirs = [];
  for (const type of ['providers', 'taskservs', 'clusters']) {
    const base = join(root, 'extensions', type);
    for (const entry of readdirSync(base, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      if (entry.isDirectory()) dirs.push(join(base, entry.name));
    }
  }
  return dirs;
}

/** Packs the extension (deterministic) and pushes it only when the stored tag has another digest. */
async function publishIfChanged(session, dir) {
  const scratch = mkdtempSync(join(tmpdir(), 'provisioning-demo-'));
  try {
    const packed = await packExtension(dir, { outputDir: scratch });
    const { name, version } = packed.manifest;
    const digest = packed.imageManifestDescriptor.digest;
    if ((await storedDigest(session, `${name}:${version}`, version)) === digest) {
      return [name, version, digest, 'unchanged'];
    }
    const pushed = await workspace.pushExtension(session, dir);
    published += 1;
    return [name, version, pushed.digest, `published ${relative(root, dir)}`];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function storedDigest(session, reference, tag) {
  try {
    const opened = await session.open(reference);
    return (await opened.target.resolve(tag)).digest;
  } catch (error) {
    if (
      [
        'REPOSITORY_NOT_FOUND',
        'TAG_NOT_FOUND',
        'MANIFEST_NOT_FOUND',
        'LAYOUT_NOT_FOUND',
        'MANIFEST_UNKNOWN',
        'NAME_UNKNOWN',
        'NOT_FOUND',
      ].includes(error.code) ||
      error.status === 404
    ) {
      return undefined;
    }
    throw error;
  }
}

/**
 * A tiny, reproducible OCI image standing in for a platform service image: one uncompressed tar
 * layer holding a README. Same bytes on every machine, so the lockfile's digest is stable.
 */
async function publishPlaceholderImage(session, name, tag) {
  const text = `${name} ${tag}: placeholder image published by \`pnpm demo\` (the real one is built elsewhere)\n`;
  const layerBytes = tarWithOneFile('README', Buffer.from(text));
  const layer = descriptor('application/vnd.oci.image.layer.v1.tar', layerBytes);
  const configBytes = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { 'org.opencontainers.image.title': name } },
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
    }),
  );
  const configDesc = descriptor('application/vnd.oci.image.config.v1+json', configBytes);
  const manifestBytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: configDesc,
      layers: [layer],
      annotations: { 'org.opencontainers.image.title': name, 'org.opencontainers.image.version': tag },
    }),
  );
  const manifest = descriptor('application/vnd.oci.image.manifest.v1+json', manifestBytes);
  const reference = `${config.registry.value}/${config.namespaces.platform.value}/${name}:${tag}`;
  if ((await storedDigest(session, reference, tag)) === manifest.digest)
    return [name, tag, manifest.digest, 'unchanged'];
  const { target } = await session.open(reference, { create: true });
  if (!(await target.exists(configDesc))) await target.push(configDesc, configBytes);
  if (!(await target.exists(layer))) await target.push(layer, layerBytes);
  if (typeof target.pushManifest === 'function')
    await target.pushManifest(manifestBytes, manifest.mediaType, tag);
  else {
    await target.push(manifest, manifestBytes);
    await target.tag(manifest, tag);
  }
  published += 1;
  return [name, tag, manifest.digest, `published ${reference}`];
}

function descriptor(mediaType, bytes) {
  return {
    mediaType,
    digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    size: bytes.length,
  };
}

/** A POSIX ustar archive with one regular file (mode 0644, uid/gid 0, mtime 0). */
function tarWithOneFile(name, content) {
  const header = Buffer.alloc(512);
  const field = (offset, length, value) => header.write(value, offset, length, 'ascii');
  const octal = (offset, length, value) =>
    field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  field(0, 100, name);
  octal(100, 8, 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, content.length);
  octal(136, 12, 0);
  field(148, 8, '        '); // checksum is computed with this field as spaces
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  const sum = header.reduce((total, byte) => total + byte, 0);
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

function cli(args, { capture = false } = {}) {
  const result = spawnSync(process.execPath, [cliBin, ...args, '--workspace', workspaceDir], {
    cwd: root,
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    if (capture && result.stdout) process.stderr.write(result.stdout);
    fail(`provisioning ${args.join(' ')} failed (exit ${result.status})`);
  }
  return result.stdout;
}

function printRows(rows) {
  for (const [name, version, digest, action] of rows) {
    console.log(`  ${name.padEnd(14)} ${version.padEnd(8)} ${digest.slice(0, 19)}…  ${action}`);
  }
}

function heading(text) {
  console.log(`\n== ${text}`);
}

function fail(message, hint) {
  process.stderr.write(`demo: error: ${message}\n${hint ? `  hint: ${hint}\n` : ''}`);
  process.exit(1);
}
