import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from './support/run-cli.js';

const box = new Sandbox();
afterAll(() => box.cleanup());

describe('workspace init, list and info', () => {
  it('creates the seed layout that validates as written, and dep resolve of it succeeds', async () => {
    const init = await box.run(['workspace', 'init', 'workspace_dev']);
    expect(init.code).toBe(0);
    const dir = join(box.root, 'workspace_dev');
    expect(init.stdout).toContain(`created workspace workspace_dev in ${dir}`);
    const config = readFileSync(join(dir, 'config', 'provisioning.yaml'), 'utf8');
    expect(config.split('\n')[0]).toMatch(
      /^# yaml-language-server: \$schema=.*workspace-config\.schema\.json$/,
    );
    expect(config).toContain('source: "oci://localhost:5000/provisioning-core:v3.5.0"');
    expect(config).toContain('# Loaded extension modules');
    expect(existsSync(join(dir, 'infra'))).toBe(true);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toContain('.provisioning/');

    const resolved = await box.run(['dep', 'resolve'], { cwd: dir });
    expect(resolved.code).toBe(0);
    expect(existsSync(join(dir, 'config', 'provisioning.lock'))).toBe(true);

    const info = await box.run(['workspace', 'info', '--json'], { cwd: dir });
    expect(info.code).toBe(0);
    const body = JSON.parse(info.stdout);
    expect(body).toMatchObject({ root: dir, lock: { modules: 0 }, drift: [] });
    expect(body.generation).toBe(1);
    expect(body.generations).toBe(1);

    // the directory as an argument, like `workspace init DIR` and `workspace list DIR`
    const byArg = await box.run(['workspace', 'info', 'workspace_dev', '--json']);
    expect(byArg.code).toBe(0);
    expect(JSON.parse(byArg.stdout)).toMatchObject({ root: dir, generation: 1 });
    const both = await box.run(['workspace', 'info', 'workspace_dev', '--workspace', 'workspace_dev']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give the workspace as DIR or as --workspace, not both');
    const bothJson = await box.run(['workspace', 'info', 'workspace_dev', '--workspace', '.', '--json']);
    expect(JSON.parse(bothJson.stdout).error.code).toBe('USAGE_INVALID');
    const missingJson = await box.run(['workspace', 'info', 'no_such_ws', '--json']);
    expect(JSON.parse(missingJson.stdout).error.code).toBe('WORKSPACE_NOT_FOUND');
    const missing = await box.run(['workspace', 'info', 'no_such_ws']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')[0]).toMatch(
      /^error: .*no_such_ws is not a workspace \(no config\/provisioning.yaml\)$/,
    );
  });

  it('--from-example lists the seed example modules on the given registry, TLS from the scheme', async () => {
    const init = await box.run([
      'workspace',
      'init',
      'workspace_prod',
      '--from-example',
      '--registry',
      'https://harbor.company.com',
    ]);
    expect(init.code).toBe(0);
    const config = readFileSync(join(box.root, 'workspace_prod', 'config', 'provisioning.yaml'), 'utf8');
    expect(config).toContain('- "oci://harbor.company.com/provisioning-extensions/kubernetes:1.28.0"');
    expect(config).toContain('tls_enabled: true');
  });

  it('refuses a non-empty directory and a bad registry, writing nothing', async () => {
    const full = join(box.root, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'notes.txt'), 'mine');
    const refused = await box.run(['workspace', 'init', 'full']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `error: ${full} is not empty (1 entry); nothing was written\n  hint: choose an empty or new directory, or pass --force to add the workspace files to it\n`,
    );
    expect(existsSync(join(full, 'config'))).toBe(false);

    const bad = await box.run(['workspace', 'init', 'fresh', '--registry', 'bad reg!!', '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.code).toBe('FLAG_INVALID');
    expect(existsSync(join(box.root, 'fresh'))).toBe(false);

    const forced = await box.run(['workspace', 'init', 'full', '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(full, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('workspace list finds the workspaces below a directory', async () => {
    const list = await box.run(['workspace', 'list', '--json']);
    expect(list.code).toBe(0);
    const found = JSON.parse(list.stdout).workspaces as string[];
    for (const name of ['workspace_dev', 'workspace_prod', 'full'])
      expect(found).toContain(join(box.root, name));
  });
});
