/**
 * `oci copy` between two real registries and to/from `oci-layout:`; a container image that skopeo
 * pushed (built with umoci) keeps its manifest digest; `oci delete` on a registry with deletion
 * disabled reports it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RunningDistribution, requireBinary, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackOrBox, jsonOk, Sandbox } from './support/run-cli.js';

const run = promisify(execFile);
const skopeo = requireBinary('skopeo');
const umoci = requireBinary('umoci');
const box = new Sandbox();
let first: RunningDistribution;
let second: RunningDistribution; // deletion disabled
let env: Record<string, string>;
const NS = 'provisioning-extensions';

/** The digest of the manifest bytes exactly as skopeo reads them (works for any artifact type). */
async function skopeoDigest(ref: string): Promise<string> {
  const { stdout } = await run(skopeo, ['inspect', '--raw', '--tls-verify=false', ref], {
    encoding: 'buffer',
  });
  return `sha256:${createHash('sha256').update(stdout).digest('hex')}`;
}

beforeAll(async () => {
  [first, second] = await Promise.all([startDistribution(), startDistribution({ deleteEnabled: false })]);
  env = { PROVISIONING_REGISTRY: first.host };
  const dir = join(box.root, 'src', 'redis');
  const generated = await box.run(['generate', 'extension', 'taskserv', 'redis', '--dir', dir]);
  expect(generated.code, generated.stderr).toBe(0);
  jsonOk(await box.run(['oci', 'push', dir, 'redis', '1.0.0', '--json'], { env }));
});
afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  box.cleanup();
});

describe('oci copy', () => {
  it('copies an extension between two registries with the digest unchanged (seed syntax)', async () => {
    const src = `${first.host}/${NS}/redis:1.0.0`;
    const dst = `${second.host}/${NS}/redis:1.0.0`;
    const human = await box.run(['oci', 'copy', src, dst], { env });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`copied ${src} → ${dst}`);
    const srcDigest = await skopeoDigest(`docker://${src}`);
    expect(await skopeoDigest(`docker://${dst}`)).toBe(srcDigest);
    expect(human.stdout).toContain(srcDigest);
    // the copy is a complete extension: it pulls from the second registry
    const pulled = jsonOk(
      await box.run(['oci', 'pull', dst, '--output', join(box.root, 'from-second'), '--json'], { env }),
    );
    expect(pulled.digest).toBe(srcDigest);
    expect(existsSync(join(box.root, 'from-second', 'manifest.yaml'))).toBe(true);
  });

  it('exports to an oci-layout (skopeo reads it) and imports from it under a new tag', async () => {
    const layout = join(box.root, 'airgap');
    const out = jsonOk(
      await box.run(['oci', 'copy', 'redis:1.0.0', `oci-layout:${layout}`, '--json'], { env }),
    );
    expect(out.destination).toBe(`oci-layout:${layout}:1.0.0`);
    expect(await skopeoDigest(`oci:${layout}:1.0.0`)).toBe(out.digest);
    const back = jsonOk(
      await box.run(
        ['oci', 'copy', `oci-layout:${layout}:1.0.0`, `${second.host}/mirror/redis:stable`, '--json'],
        { env },
      ),
    );
    expect(back.digest).toBe(out.digest);
    expect(await skopeoDigest(`docker://${second.host}/mirror/redis:stable`)).toBe(out.digest);
    // inspect and tags read layouts too
    const tags = jsonOk(await box.run(['oci', 'tags', `oci-layout:${layout}`, '--json'], { env }));
    expect(tags.tags.map((t: { version: string }) => t.version)).toEqual(['1.0.0']);
    const inspected = jsonOk(
      await box.run(['oci', 'inspect', `oci-layout:${layout}:1.0.0`, '--json'], { env }),
    );
    expect(inspected.extension.name).toBe('redis');
  });

  it('a container image skopeo pushed (built with umoci) keeps its manifest digest', async () => {
    const layout = join(box.root, 'umoci-image');
    await run(umoci, ['init', '--layout', layout]);
    await run(umoci, ['new', '--image', `${layout}:v1`]);
    const src = `${first.host}/library/base:v1`;
    await run(skopeo, ['copy', '--dest-tls-verify=false', `oci:${layout}:v1`, `docker://${src}`]);
    const pushedBySkopeo = await skopeoDigest(`docker://${src}`);
    const dst = `${second.host}/library/base:v1`;
    const out = jsonOk(await box.run(['oci', 'copy', src, dst, '--json'], { env }));
    expect(out.digest).toBe(pushedBySkopeo);
    expect(out.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(await skopeoDigest(`docker://${dst}`)).toBe(pushedBySkopeo);
    const raw = await run(skopeo, ['inspect', '--raw', '--tls-verify=false', `docker://${dst}`]);
    const rawSrc = await run(skopeo, ['inspect', '--raw', '--tls-verify=false', `docker://${src}`]);
    expect(raw.stdout).toBe(rawSrc.stdout);
  });

  it('a source without tag or digest is a usage error', async () => {
    const result = await box.run(['oci', 'copy', 'redis', `${second.host}/x/redis`], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: source "redis" names no tag or digest\n {2}hint: /);
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);
  });
});

describe('oci copy SRC... DST and oci pull REF... (several artifacts in one run)', () => {
  it('exports several extensions into one directory of layouts and imports them into a namespace', async () => {
    const dir = join(box.root, 'src', 'valkey');
    expect((await box.run(['generate', 'extension', 'taskserv', 'valkey', '--dir', dir])).code).toBe(0);
    jsonOk(await box.run(['oci', 'push', dir, 'valkey', '1.0.0', '--json'], { env }));
    const airgap = join(box.root, 'airgap-many');
    const exported = jsonOk(
      await box.run(['oci', 'copy', 'redis:1.0.0', 'valkey:1.0.0', `oci-layout:${airgap}`, '--json'], {
        env,
      }),
    );
    expect(exported.map((r: { destination: string }) => r.destination)).toEqual([
      `oci-layout:${join(airgap, 'redis')}:1.0.0`,
      `oci-layout:${join(airgap, 'valkey')}:1.0.0`,
    ]);
    // one layout per artifact, as skopeo reads them
    expect(await skopeoDigest(`oci:${join(airgap, 'valkey')}:1.0.0`)).toBe(exported[1].digest);

    const imported = await box.run(
      [
        'oci',
        'copy',
        `oci-layout:${join(airgap, 'redis')}:1.0.0`,
        `oci-layout:${join(airgap, 'valkey')}:1.0.0`,
        `${second.host}/mirror-many`,
      ],
      { env },
    );
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`→ ${second.host}/mirror-many/redis:1.0.0`);
    expect(await skopeoDigest(`docker://${second.host}/mirror-many/valkey:1.0.0`)).toBe(exported[1].digest);

    const vendor = join(box.root, 'vendor');
    const pulled = jsonOk(
      await box.run(
        [
          'oci',
          'pull',
          `${second.host}/mirror-many/redis:1.0.0`,
          `${second.host}/mirror-many/valkey:1.0.0`,
          '--output',
          vendor,
          '--json',
        ],
        { env },
      ),
    );
    expect(pulled.map((p: { output: string }) => p.output)).toEqual([
      join(vendor, 'redis'),
      join(vendor, 'valkey'),
    ]);
    expect(existsSync(join(vendor, 'valkey', 'manifest.yaml'))).toBe(true);
  });

  it('finishes the others when one source fails, then exits with one line naming it', async () => {
    const result = await box.run(['oci', 'copy', 'redis:1.0.0', 'missing:9.9.9', `${second.host}/partial`], {
      env,
    });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(`→ ${second.host}/partial/redis:1.0.0`);
    expect(result.stderr).toContain('error: 1 of 2 copies failed; first: missing:9.9.9: ');
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);
    expect(await skopeoDigest(`docker://${second.host}/partial/redis:1.0.0`)).toMatch(/^sha256:/);
  });

  it('refuses a tagged destination and two sources that would land in one place, before copying', async () => {
    const tagged = await box.run(['oci', 'copy', 'redis:1.0.0', 'valkey:1.0.0', `${second.host}/x:1`], {
      env,
    });
    expect(tagged.code).toBe(2);
    expect(tagged.stderr).toMatch(
      /^error: with several sources the destination ".*" must be a namespace or a directory\n/,
    );
    const clash = await box.run(
      ['oci', 'copy', 'redis:1.0.0', `${first.host}/other/redis:1.0.0`, `${second.host}/clash`],
      { env },
    );
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain(`would both go to ${second.host}/clash/redis:1.0.0`);
    const tags = await box.run(['oci', 'tags', `${second.host}/clash/redis`, '--json'], { env });
    expect(tags.code).not.toBe(0); // nothing was copied

    const badName = await box.run(
      ['oci', 'copy', `oci-layout:${join(box.root, 'Not_A_Name')}:1.0.0`, 'redis:1.0.0', `${second.host}/x`],
      { env },
    );
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(
      /^error: cannot name the artifact in ".*Not_A_Name:1\.0\.0": "Not_A_Name" is not a valid repository name\n/,
    );
    const pullClash = await box.run(
      [
        'oci',
        'pull',
        'redis:1.0.0',
        `${second.host}/mirror-many/redis:1.0.0`,
        '--output',
        join(box.root, 'never'),
      ],
      { env },
    );
    expect(pullClash.code).toBe(2);
    expect(pullClash.stderr).toContain(`would both go to ${join(box.root, 'never', 'redis')}`);
    expect(existsSync(join(box.root, 'never'))).toBe(false);
    expect(expectNoStackOrBox(badName.stderr + pullClash.stderr)).toEqual([]);
  });
});

describe('oci delete', () => {
  it('deletes when the registry allows it', async () => {
    jsonOk(
      await box.run(['oci', 'copy', 'redis:1.0.0', `${first.host}/${NS}/redis:doomed`, '--json'], { env }),
    );
    const deleted = jsonOk(
      await box.run(
        ['oci', 'delete', `${first.host}/${NS}/redis@${await digestOf('redis:1.0.0')}`, '--yes', '--json'],
        {
          env,
        },
      ),
    );
    expect(deleted.digest).toMatch(/^sha256:/);
    const tags = jsonOk(await box.run(['oci', 'tags', 'redis', '--json'], { env }));
    expect(tags.tags).toEqual([]); // both tags pointed at the deleted manifest
  });

  it('reports a registry with deletion disabled (exit 3, DELETE_DISABLED)', async () => {
    const result = await box.run(['oci', 'delete', `${second.host}/${NS}/redis:1.0.0`, '--yes', '--json'], {
      env,
    });
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).error.code).toBe('DELETE_DISABLED');
    expect(result.stderr).toMatch(/^error: .*deletion disabled/);
    // still there
    expect(await skopeoDigest(`docker://${second.host}/${NS}/redis:1.0.0`)).toMatch(/^sha256:/);
  });
});

async function digestOf(ref: string): Promise<string> {
  return jsonOk(await box.run(['oci', 'inspect', ref, '--json'], { env })).digest;
}
