// Writes a CNCF Distribution filesystem storage root directly (no HTTP push): REPOS repositories ×
// VERSIONS versions, far faster than pushing 20,000 manifests. The layout is Distribution's own
// (docker/registry/v2/{blobs,repositories}); `docker-registry serve` reads it as if pushed.
//   ext-i (i < PACKED) gets a real packed layer (installable); the others share ext-0000's layer, since
//   they are only listed and searched. Every version has its own config blob (name, version,
//   dependencies), so resolution reads real metadata. ext-i depends on ext-(i-1) and ext-(i/2-1).
// The result is cached under /tmp keyed by a hash of the parameters and of this file.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dist } from '../lib/repo.mjs';

const { packExtension, scaffoldExtension } = await import(dist('packager'));

export const NAMESPACE = 'provisioning-extensions';
export const extName = (i) => `ext-${String(i).padStart(4, '0')}`;
export const versionOf = (v) => `1.${v}.0`;
/** Dependencies of ext-i (lower-numbered, so every prefix ext-0..ext-(N-1) is closed). */
export const depsOf = (i) =>
  [i - 1, Math.floor(i / 2) - 1].filter((d, k, all) => d >= 0 && all.indexOf(d) === k);

const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function limited(items, limit, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}

/** Returns the storage root (generating it when not cached). */
export async function generateRegistry({ repos, versions, packed }) {
  const self = readFileSync(fileURLToPath(import.meta.url));
  const key = sha(Buffer.concat([self, Buffer.from(JSON.stringify({ repos, versions, packed }))])).slice(
    0,
    16,
  );
  const root = join(tmpdir(), `provisioning-bench-scale-${key}`);
  if (existsSync(join(root, 'complete'))) return { root, cached: true };
  await rm(root, { recursive: true, force: true });
  const building = `${root}.building`;
  await rm(building, { recursive: true, force: true });
  const v2 = join(building, 'storage', 'docker', 'registry', 'v2');
  const written = new Set();
  const putBlob = async (bytes, fromPath) => {
    const hex = fromPath ? sha(await readFile(fromPath)) : sha(bytes);
    if (!written.has(hex)) {
      written.add(hex);
      const dir = join(v2, 'blobs', 'sha256', hex.slice(0, 2), hex);
      await mkdir(dir, { recursive: true });
      if (fromPath) await copyFile(fromPath, join(dir, 'data'));
      else await writeFile(join(dir, 'data'), bytes);
    }
    return hex;
  };
  const link = async (path, hex) => {
    await mkdir(path, { recursive: true });
    await writeFile(join(path, 'link'), `sha256:${hex}`);
  };

  // one real pack per installable name (the template for its config and image manifest)
  const src = join(building, 'src');
  const templates = new Array(packed);
  await limited([...Array(packed).keys()], 2, async (i) => {
    const name = extName(i);
    const dir = join(src, name, name);
    await mkdir(dirname(dir), { recursive: true });
    await scaffoldExtension('taskserv', name, dir);
    templates[i] = await packExtension(dir, { outputDir: join(src, 'out') });
  });

  await limited([...Array(repos).keys()], 16, async (i) => {
    const name = extName(i);
    const template = templates[i] ?? templates[0];
    const repoDir = join(v2, 'repositories', NAMESPACE, name);
    const layerHex = await putBlob(undefined, template.layer.path);
    await link(join(repoDir, '_layers', 'sha256', layerHex), layerHex);
    const baseConfig = JSON.parse(Buffer.from(template.config.bytes).toString('utf8'));
    const deps = Object.fromEntries(depsOf(i).map((d) => [extName(d), '^1.0.0']));
    for (let v = 0; v < versions; v++) {
      const config = { ...baseConfig, name, version: versionOf(v) };
      if (Object.keys(deps).length > 0) config.dependencies = deps;
      else delete config.dependencies;
      const configBytes = Buffer.from(JSON.stringify(config));
      const configHex = await putBlob(configBytes);
      await link(join(repoDir, '_layers', 'sha256', configHex), configHex);
      const manifest = {
        ...template.imageManifest,
        config: { ...template.imageManifest.config, digest: `sha256:${configHex}`, size: configBytes.length },
        annotations: {
          ...template.imageManifest.annotations,
          'org.opencontainers.image.title': name,
          'org.opencontainers.image.version': versionOf(v),
        },
      };
      const manifestBytes = Buffer.from(JSON.stringify(manifest));
      const manifestHex = await putBlob(manifestBytes);
      await link(join(repoDir, '_manifests', 'revisions', 'sha256', manifestHex), manifestHex);
      const tagDir = join(repoDir, '_manifests', 'tags', versionOf(v));
      await link(join(tagDir, 'current'), manifestHex);
      await link(join(tagDir, 'index', 'sha256', manifestHex), manifestHex);
    }
  });
  await rm(src, { recursive: true, force: true });
  await writeFile(join(building, 'complete'), new Date().toISOString());
  await rename(building, root);
  return { root, cached: false };
}
