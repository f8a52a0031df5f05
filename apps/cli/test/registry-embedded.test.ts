/**
 * A new user's first commands: no configuration, nothing on localhost:5000, an empty
 * PROVISIONING_HOME. Every `oci` command works on the embedded storage, and `oci config` says so.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ROOT, Sandbox } from './support/run-cli.js';

const REPO = resolve(CLI_ROOT, '..', '..');
const box = new Sandbox();
let remote: RunningDistribution;
let pushedDigest: string;
const json = (stdout: string) => JSON.parse(stdout);

async function run(args: string[]) {
  const r = await box.run([...args, '--json']);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return json(r.stdout);
}

beforeAll(async () => {
  try {
    const res = await fetch('http://localhost:5000/v2/', { signal: AbortSignal.timeout(1500) });
    await res.arrayBuffer();
    if (res.status === 200 || res.status === 401) {
      throw new Error(
        'a registry answers on localhost:5000: stop it to run this test (it tests the embedded default)',
      );
    }
  } catch (error) {
    if ((error as Error).message.includes('localhost:5000')) throw error;
  }
  remote = await startDistribution();
});

afterAll(async () => {
  await remote?.stop();
  box.cleanup();
});

describe('embedded storage default (no server on localhost:5000)', () => {
  it('oci config reports the embedded storage and why', async () => {
    const out = await run(['oci', 'config']);
    expect(out).toMatchObject({
      registry: 'localhost:5000',
      registry_type: 'oci-layout',
      layout_path: join(box.home, 'oci-registry'),
    });
    expect(out.sources.registry_type).toEqual({
      source: 'default',
      origin: 'built-in: embedded storage, no registry answers on localhost:5000',
    });
    const human = await box.run(['oci', 'config']);
    expect(human.stdout).toMatch(
      /registry_type: "oci-layout" +# default \(embedded storage, no registry answers on localhost:5000\)/,
    );
  });

  it('push, tags, inspect, list, search and pull work with no server', async () => {
    const pushed = await run([
      'oci',
      'push',
      join(REPO, 'extensions', 'taskservs', 'redis'),
      'redis',
      '1.0.0',
    ]);
    expect(pushed.reference).toBe('localhost:5000/provisioning-extensions/redis:1.0.0');
    pushedDigest = pushed.digest;
    expect(existsSync(join(box.home, 'oci-registry', 'provisioning-extensions', 'redis', 'oci-layout'))).toBe(
      true,
    );

    const tags = await run(['oci', 'tags', 'redis']);
    expect(tags.tags.map((t: { version: string }) => t.version)).toEqual(['1.0.0']);
    const inspected = await run(['oci', 'inspect', 'redis:1.0.0']);
    expect(inspected.digest).toBe(pushedDigest);
    const listed = await run(['oci', 'list']);
    expect(listed.extensions.map((e: { name: string; latest: string }) => [e.name, e.latest])).toEqual([
      ['redis', '1.0.0'],
    ]);
    const found = await run(['oci', 'search', 'cache']);
    expect(found.matches.map((m: { name: string }) => m.name)).toEqual(['redis']);
    const pulled = await run(['oci', 'pull', 'redis:1.0.0', '-o', join(box.root, 'pulled')]);
    expect(pulled.digest).toBe(pushedDigest);
    expect(existsSync(join(box.root, 'pulled', 'manifest.yaml'))).toBe(true);
  });

  it('copy moves the storage to a remote registry and an air-gap layout with the same digest', async () => {
    const toRemote = await run([
      'oci',
      'copy',
      'redis:1.0.0',
      `${remote.host}/provisioning-extensions/redis:1.0.0`,
    ]);
    expect(toRemote.digest).toBe(pushedDigest);
    const remoteTags = await run(['oci', 'tags', `${remote.host}/provisioning-extensions/redis`]);
    expect(remoteTags.tags.map((t: { version: string }) => t.version)).toEqual(['1.0.0']);
    const layout = join(box.root, 'airgap');
    const toLayout = await run([
      'oci',
      'copy',
      `oci-layout:${join(box.home, 'oci-registry', 'provisioning-extensions', 'redis')}:1.0.0`,
      `oci-layout:${layout}`,
    ]);
    expect(toLayout.digest).toBe(pushedDigest);
  });

  it('delete removes the tag from the embedded storage', async () => {
    await run(['oci', 'delete', 'redis:1.0.0', '--yes']);
    const r = await box.run(['oci', 'inspect', 'redis:1.0.0', '--json']);
    expect(r.code).toBe(1);
  });
});
