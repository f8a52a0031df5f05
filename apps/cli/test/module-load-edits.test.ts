import { cpSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ROOT, Sandbox } from './support/run-cli.js';

const box = new Sandbox();
let workspace: string;
let config: string;

beforeAll(async () => {
  cpSync(resolve(CLI_ROOT, '..', '..', 'extensions'), join(box.root, 'extensions'), { recursive: true });
  expect((await box.run(['workspace', 'init', 'W'])).code).toBe(0);
  workspace = join(box.root, 'W');
  config = join(workspace, 'config', 'provisioning.yaml');
});
afterAll(() => box.cleanup());

describe('module load edits provisioning.yaml only when it succeeds', () => {
  it('a mistyped module, from OCI or from the local directory, leaves the file byte for byte', async () => {
    const before = readFileSync(config, 'utf8');
    const oci = await box.run(['module', 'load', 'taskserv', 'W', 'rediss']);
    expect(oci.code).toBe(1);
    expect(oci.stderr).toMatch(/^error: .*rediss: nothing published in the OCI-layout storage /);
    expect(readFileSync(config, 'utf8')).toBe(before);
    const local = await box.run(['module', 'load', 'taskserv', 'W', 'rediss', '--source', 'local']);
    expect(local.code).toBe(1);
    expect(local.stderr).toContain('extensions/{providers,taskservs,clusters}/rediss');
    expect(local.stderr).toContain('hint: check the name, or create the extension there');
    expect(local.stderr).not.toContain('<type>s');
    expect(local.stderr).not.toContain('oci push');
    expect(readFileSync(config, 'utf8')).toBe(before);
    // and every later command still works
    expect((await box.run(['dep', 'resolve'], { cwd: workspace })).code).toBe(0);
  });

  it('a version in NAME or a range in --version gets one usage line, the file untouched', async () => {
    const before = readFileSync(config, 'utf8');
    const inName = await box.run(['module', 'load', 'taskserv', 'W', 'redis@>=2']);
    expect(inName.code).toBe(2);
    expect(inName.stderr.trim().split('\n')).toEqual([
      'error: extension name "redis@>=2" is not valid',
      '  hint: pass the name redis alone for the newest version, or pin one with --version (e.g. 1.0.0)',
    ]);
    const pinned = await box.run(['module', 'load', 'taskserv', 'W', 'redis:1.0.0']);
    expect(pinned.stderr).toContain(
      'hint: give the version with --version: module load TYPE WORKSPACE redis --version 1.0.0',
    );
    const range = await box.run(['module', 'load', 'taskserv', 'W', 'redis', '--version', '^1.0.0']);
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(
      /^error: --version \^1\.0\.0 is not a version\n {2}hint: a listed module is pinned/,
    );
    expect(readFileSync(config, 'utf8')).toBe(before);
  });

  it('--source local records a path relative to the workspace, comments kept', async () => {
    const loaded = await box.run(['module', 'load', 'taskserv', 'W', 'redis', '--source', 'local']);
    expect(loaded.code, loaded.stderr).toBe(0);
    const text = readFileSync(config, 'utf8');
    expect(text).toContain('path: ../extensions');
    expect(text).toContain('# Loaded extension modules');
    expect(text).toMatch(/taskservs: \[localhost:5000\/provisioning-extensions\/redis:1\.0\.0\]/);
  });

  it('refuses a WORKSPACE argument and a different --workspace', async () => {
    const before = readFileSync(config, 'utf8');
    const result = await box.run(['module', 'load', 'taskserv', 'W', 'redis', '--workspace', 'X']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: two workspaces given: WORKSPACE W and --workspace X\n  hint: name the workspace once (the WORKSPACE argument is enough)\n',
    );
    expect(readFileSync(config, 'utf8')).toBe(before);
  });
});
