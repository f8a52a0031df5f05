// A full disk or a read-only mount is one line naming the path, exit 1, not an internal error; the
// next run after the cause is fixed succeeds (docs/troubleshooting.md). Real tmpfs mounts, as root.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './support/run-cli.js';

const box = new Sandbox();
const storageMount = join(box.root, 'small-home');
const workspaceMount = join(box.root, 'small-ws');
const mounted: string[] = [];

function mountTmpfs(dir: string, options: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  mounted.push(dir);
}
const remount = (dir: string, options: string) => execFileSync('mount', ['-o', `remount,${options}`, dir]);

beforeAll(async () => {
  mountTmpfs(storageMount, 'size=2m');
  mountTmpfs(workspaceMount, 'size=64m');
  const dir = join(box.root, 'big');
  expect((await box.run(['generate', 'extension', 'taskserv', 'big', '--dir', dir])).code).toBe(0);
  // incompressible, so the packed layer is as big as the file
  writeFileSync(join(dir, 'payload.bin'), randomBytes(3 * 1024 * 1024));
});

afterAll(() => {
  for (const dir of mounted.reverse()) execFileSync('umount', [dir]);
  box.cleanup();
});

const env = { PROVISIONING_HOME: storageMount };

function expectOneLine(stderr: string, message: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(message);
  expect(lines.length, stderr).toBe(2);
  expect(lines[1]).toMatch(/^ {2}hint: /);
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
}

describe('file-system failures', () => {
  it('a full disk: DISK_FULL naming the storage, nothing left behind, then the retry succeeds', async () => {
    const full = await box.run(['oci', 'push', join(box.root, 'big'), 'big', '1.0.0'], { env });
    expect(full.code, full.stderr).toBe(1);
    expectOneLine(full.stderr, new RegExp(`^error: no space left on the device holding ${storageMount}`));
    const json = await box.run(['oci', 'push', join(box.root, 'big'), 'big', '1.0.0', '--json'], { env });
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'DISK_FULL', errno: 'ENOSPC' });
    const ingest = join(storageMount, 'oci-registry', 'provisioning-extensions', 'big', '.ingest');
    if (existsSync(ingest)) expect(readdirSync(ingest)).toEqual([]);

    remount(storageMount, 'size=64m');
    const retried = await box.run(['oci', 'push', join(box.root, 'big'), 'big', '1.0.0'], { env });
    expect(retried.code, retried.stderr).toBe(0);
  });

  it('an install onto a full disk fails in one line; after freeing space resolve and validate pass', async () => {
    const ws = join(workspaceMount, 'ws');
    mkdirSync(join(ws, 'config'), { recursive: true });
    writeFileSync(
      join(ws, 'config', 'provisioning.yaml'),
      `dependencies:
  extensions:
    modules:
      taskservs:
        - "oci://localhost:5000/provisioning-extensions/big:1.0.0"
`,
    );
    // leave ~1 MiB free on the workspace's disk: the 3 MiB payload cannot be installed
    remount(workspaceMount, 'size=1m');
    const failed = await box.run(['dep', 'resolve'], { env, cwd: ws });
    expect(failed.code, failed.stderr).toBe(1);
    expectOneLine(failed.stderr, /^error: no space left on the device holding /);
    expect(existsSync(join(ws, 'config', 'provisioning.lock'))).toBe(false);

    remount(workspaceMount, 'size=64m');
    const resolved = await box.run(['dep', 'resolve'], { env, cwd: ws });
    expect(resolved.code, resolved.stderr).toBe(0);
    const validated = await box.run(['dep', 'validate'], { env, cwd: ws });
    expect(validated.code, validated.stderr).toBe(0);
  });

  it('a read-only storage: READ_ONLY_FILE_SYSTEM naming it, exit 1', async () => {
    const dir = join(box.root, 'small');
    expect((await box.run(['generate', 'extension', 'taskserv', 'small', '--dir', dir])).code).toBe(0);
    remount(storageMount, 'ro');
    try {
      const result = await box.run(['oci', 'push', dir, 'small', '1.0.0'], { env });
      expect(result.code, result.stderr).toBe(1);
      expectOneLine(result.stderr, /^error: read-only file system at /);
      expect(result.stderr).toContain(storageMount);
    } finally {
      remount(storageMount, 'rw');
    }
  });
});
