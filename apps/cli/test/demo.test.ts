/**
 * `pnpm demo` (scripts/demo.mjs) as a new user runs it: an empty PROVISIONING_HOME, no server, the
 * embedded default. Runs on a copy of examples/workspace so the checkout is left alone.
 */
import { execFile } from 'node:child_process';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CLI_ROOT, Sandbox } from './support/run-cli.js';

const REPO = resolve(CLI_ROOT, '..', '..');
const box = new Sandbox();
let ws: string;

function demo(): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const startedAt = Date.now();
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(REPO, 'scripts', 'demo.mjs'), '--workspace', ws],
      {
        cwd: REPO,
        env: { PATH: process.env.PATH ?? '', HOME: box.userHome, PROVISIONING_HOME: box.home },
        timeout: 120_000,
      },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr, ms: Date.now() - startedAt }),
    );
  });
}

async function localRegistryAnswers(): Promise<boolean> {
  try {
    const res = await fetch('http://localhost:5000/v2/', { signal: AbortSignal.timeout(1500) });
    await res.arrayBuffer();
    return res.status === 200 || res.status === 401;
  } catch {
    return false;
  }
}

const extensionNames = () =>
  ['providers', 'taskservs', 'clusters']
    .flatMap((type) => readdirSync(join(REPO, 'extensions', type)))
    .sort();

beforeAll(async () => {
  // with a registry on localhost:5000 the demo would (rightly) publish into it: refuse to test that way
  if (await localRegistryAnswers()) {
    throw new Error(
      'a registry answers on localhost:5000: stop it to run the demo test (it tests the embedded default)',
    );
  }
  ws = join(box.root, 'workspace');
  cpSync(join(REPO, 'examples', 'workspace'), ws, {
    recursive: true,
    filter: (src) => !src.includes('.provisioning') && !src.endsWith('provisioning.lock'),
  });
});

afterAll(() => box.cleanup());

describe('pnpm demo', () => {
  let lockText: string;

  it('publishes everything to the embedded storage, resolves, installs and locks every module by digest', async () => {
    const r = await demo();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`embedded OCI layout storage ${join(box.home, 'oci-registry')}`);
    const names = extensionNames();
    expect(names.length).toBeGreaterThanOrEqual(12);
    const stored = readdirSync(join(box.home, 'oci-registry', 'provisioning-extensions')).sort();
    expect(stored).toEqual(names);
    expect(r.stdout).toContain(`${names.length + 2} artifacts published this run`);
    expect(r.stdout).toMatch(/installed 8 modules \(8 changed\)/);
    expect(r.stdout).toContain('└── upcloud 1.5.0');

    lockText = readFileSync(join(ws, 'config', 'provisioning.lock'), 'utf8');
    const lock = parseYaml(lockText);
    const modules = Object.keys(lock.modules).sort();
    expect(modules).toEqual([
      'aws',
      'buildkit',
      'cilium',
      'containerd',
      'etcd',
      'kubernetes',
      'runc',
      'upcloud',
    ]);
    for (const name of modules) {
      expect(lock.modules[name]).toMatchObject({
        source: 'oci-layout',
        manifest_digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        layer_digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        reference: expect.stringMatching(new RegExp(`^localhost:5000/provisioning-extensions/${name}:`)),
      });
      expect(r.stdout).toContain(lock.modules[name].manifest_digest);
    }
    expect(Object.keys(lock.platform.images).sort()).toEqual(['control_center', 'orchestrator']);
    for (const image of Object.values(lock.platform.images) as Array<{ digest: string }>) {
      expect(image.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    console.info(`demo first run: ${r.ms} ms`);
  });

  it('a second run publishes nothing and installs nothing new', async () => {
    const r = await demo();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('0 artifacts published this run');
    expect(r.stdout).toContain('nothing new to install: all 8 modules were already installed and locked');
    // every publish row ends "unchanged" (a pushed one says "published …"), every module row too
    expect(r.stdout).not.toMatch(/…\s+published /);
    expect(r.stdout.match(/ unchanged$/gm)?.length).toBe(extensionNames().length + 2 + 8);
    expect(readFileSync(join(ws, 'config', 'provisioning.lock'), 'utf8')).toBe(lockText);
    console.info(`demo second run: ${r.ms} ms`);
  });
});
