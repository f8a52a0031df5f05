/** Several real processes writing one layout at once; stale lock files from crashed writers. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciLayout } from '../src/index.js';
import { makeArtifact, makeTempDir, pushImage, readAll } from '../src/layout/test-support/fixtures.js';

const distEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

let dir: { path: string; cleanup(): Promise<void> };
beforeAll(async () => {
  dir = await makeTempDir('layout-concurrency-');
});
afterAll(async () => {
  await dir.cleanup();
});

/** A writer process: pushes `count` artifacts (sharing one blob with every other writer) and tags them. */
const WRITER = `
import { createHash } from 'node:crypto';
const { OciLayout } = await import(process.env.LAYOUT_MODULE);
const [path, id, count] = process.argv.slice(1);
const sha = (b) => 'sha256:' + createHash('sha256').update(b).digest('hex');
const layout = await OciLayout.open(path, { create: true });
const shared = Buffer.from('shared layer '.repeat(10000));
const sharedDesc = { mediaType: 'application/octet-stream', digest: sha(shared), size: shared.length };
for (let i = 0; i < Number(count); i++) {
  const config = Buffer.from(JSON.stringify({ id, i }));
  const configDesc = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length };
  await layout.push(sharedDesc, shared);
  await layout.push(configDesc, config);
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: configDesc, layers: [sharedDesc] }));
  const desc = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha(manifest), size: manifest.length };
  await layout.push(desc, manifest);
  await layout.tag(desc, 'w' + id + '-' + i);
  await layout.tag(desc, 'latest');
}
`;

function runWriter(path: string, id: number, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', WRITER, path, String(id), String(count)],
      {
        env: { ...process.env, LAYOUT_MODULE: distEntry },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`writer ${id} exited ${code}: ${stderr}`)),
    );
  });
}

describe('layout concurrency', () => {
  it('keeps every tag when four processes push and tag at the same time', async () => {
    expect(existsSync(distEntry), `build the package first (${distEntry} is missing)`).toBe(true);
    const path = join(dir.path, 'shared');
    const writers = 4;
    const perWriter = 12;
    await Promise.all(Array.from({ length: writers }, (_, id) => runWriter(path, id, perWriter)));
    const layout = await OciLayout.open(path);
    const tags = await layout.tags();
    expect(tags).toHaveLength(writers * perWriter + 1);
    for (let id = 0; id < writers; id++) {
      for (let i = 0; i < perWriter; i++) expect(tags).toContain(`w${id}-${i}`);
    }
    const latest = await layout.resolve('latest');
    const { manifest } = await layout.readManifest(latest);
    if (!('layers' in manifest)) throw new Error('expected an image manifest');
    expect((await readAll(await layout.fetch(manifest.layers[0]!))).length).toBe(manifest.layers[0]!.size);
    expect(await readdir(join(path, '.ingest'))).toEqual([]);
    expect(existsSync(join(path, '.index.lock'))).toBe(false);
    JSON.parse(await readFile(join(path, 'index.json'), 'utf8'));
  });

  it('breaks a lock left by a dead process and times out on a live one', async () => {
    const layout = await OciLayout.open(join(dir.path, 'locked'), { create: true, lock: { timeoutMs: 300 } });
    const artifact = makeArtifact('locked');
    await pushImage(layout, artifact);
    const lockPath = join(layout.path, '.index.lock');
    // pid 2^22+1 is above Linux's pid_max default range: never alive
    await writeFile(lockPath, JSON.stringify({ pid: 4194305, host: hostname(), time: Date.now() }));
    await layout.tag(artifact.manifest.desc, 'after-stale');
    expect(await layout.tags()).toEqual(['after-stale']);
    expect(existsSync(lockPath)).toBe(false);
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), time: Date.now() }));
    await expect(layout.tag(artifact.manifest.desc, 'blocked')).rejects.toMatchObject({
      code: 'LAYOUT_LOCK_TIMEOUT',
    });
    expect(await layout.tags()).toEqual(['after-stale']);
  });
});
