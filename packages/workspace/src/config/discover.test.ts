import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProvisioningError } from '@provisioning/schemas';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverWorkspace } from './discover.js';

const root = mkdtempSync(join(tmpdir(), 'prov-discover-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function makeWorkspace(dir: string): string {
  mkdirSync(join(dir, 'config'), { recursive: true });
  writeFileSync(join(dir, 'config', 'provisioning.yaml'), 'dependencies: {}\n');
  return dir;
}

const ws = makeWorkspace(join(root, 'project'));
const nested = join(ws, 'deep', 'er');
mkdirSync(nested, { recursive: true });
const parent = join(root, 'repo');
const childWs = makeWorkspace(join(parent, 'workspace'));
mkdirSync(join(parent, 'src'), { recursive: true });
const plain = join(root, 'plain');
mkdirSync(plain);

describe('discoverWorkspace', () => {
  it('finds the directory itself and walks up from subdirectories', () => {
    expect(discoverWorkspace({ cwd: ws, env: {} })).toBe(ws);
    expect(discoverWorkspace({ cwd: nested, env: {} })).toBe(ws);
  });

  it('finds a workspace/ child of the current or a parent directory', () => {
    expect(discoverWorkspace({ cwd: parent, env: {} })).toBe(childWs);
    expect(discoverWorkspace({ cwd: join(parent, 'src'), env: {} })).toBe(childWs);
  });

  it('returns undefined when nothing is found up to the filesystem root', () => {
    expect(discoverWorkspace({ cwd: plain, env: {} })).toBeUndefined();
  });

  it('prefers --workspace over PROVISIONING_WORKSPACE over the walk, relative to cwd', () => {
    expect(discoverWorkspace({ cwd: root, flag: 'project', env: { PROVISIONING_WORKSPACE: childWs } })).toBe(
      ws,
    );
    expect(discoverWorkspace({ cwd: ws, env: { PROVISIONING_WORKSPACE: childWs } })).toBe(childWs);
    expect(discoverWorkspace({ cwd: plain, flag: '~/project', env: { HOME: root } })).toBe(ws);
  });

  it('rejects an explicit directory without config/provisioning.yaml, naming it', () => {
    for (const [options, source] of [
      [{ cwd: root, flag: plain, env: {} }, '--workspace'],
      [{ cwd: root, env: { PROVISIONING_WORKSPACE: plain } }, 'PROVISIONING_WORKSPACE'],
    ] as const) {
      try {
        discoverWorkspace(options);
        expect.unreachable();
      } catch (err) {
        expect(isProvisioningError(err) && err.code).toBe('WORKSPACE_NOT_FOUND');
        expect((err as Error).message).toContain(plain);
        expect((err as Error).message).toContain(source);
        expect(isProvisioningError(err) && err.hint).toBeTruthy();
      }
    }
  });
});
