/**
 * Taskservs that run their Nushell scripts with the real `nu` of the nushell package: a local-source
 * workspace with two test extensions (beta depends on alpha) whose scripts write into a sandbox.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expectNoStackOrBox, Sandbox } from './support/run-cli.js';

const box = new Sandbox();
let ws: string;
let sandbox: string;
let extensions: string;

const install = (name: string, extra = '') => `def main [--settings: path, --rendered: path, --check] {
  let s = (open $settings)
  if $check { print $"[check] touch ($s.sandbox)/${name}"; return }
  ${extra}
  touch ($s.sandbox | path join ${name})
  print "${name} installed"
}
`;
const uninstall = (name: string) => `def main [--settings: path, --check] {
  let s = (open $settings)
  if $check { print $"[check] rm ($s.sandbox)/${name}"; return }
  rm ($s.sandbox | path join ${name})
}
`;

beforeAll(async () => {
  extensions = join(box.root, 'mono', 'extensions', 'taskservs');
  sandbox = join(box.root, 'sandbox');
  mkdirSync(sandbox);
  for (const name of ['alpha', 'beta', 'gamma', 'delta']) {
    const dir = join(extensions, name);
    const made = await box.run(['generate', 'extension', 'taskserv', name, '--dir', dir]);
    expect(made.code, made.stderr).toBe(0);
    writeFileSync(
      join(dir, 'scripts', 'install.nu'),
      install(name, name === 'gamma' ? 'error make {msg: "gamma broke"}' : ''),
    );
    writeFileSync(join(dir, 'scripts', 'uninstall.nu'), uninstall(name));
  }
  // delta's check sleeps or prints the names of its environment variables, as its settings say
  writeFileSync(
    join(extensions, 'delta', 'scripts', 'check.nu'),
    'def main [--settings: path] {\n  let s = (open $settings)\n  if $s.mode == "sleep" { sleep 30sec }\n  print ($env | columns | where {|c| $c =~ "^[A-Z_]+$" } | str join ",")\n}\n',
  );
  for (const [name, dep] of [
    ['beta', 'alpha'],
    ['gamma', 'alpha'],
  ]) {
    const file = join(extensions, name!, 'manifest.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('# dependencies:', `dependencies:\n  ${dep}: "^1.0.0"`),
    );
  }
  ws = box.workspace(
    'ws',
    'dependencies:\n  extensions:\n    source_type: local\n    local:\n      path: ../mono/extensions\n',
  );
  mkdirSync(join(ws, 'infra', 'dev'), { recursive: true });
  writeFileSync(join(ws, 'infra', 'dev', 'settings.yaml'), infraSettings('env'));
});
afterAll(() => box.cleanup());

const infraSettings = (mode: string) =>
  ['alpha', 'beta', 'gamma', 'delta'].reduce(
    (t, n) => `${t}  ${n}:\n    sandbox: ${sandbox}\n    mode: ${mode}\n`,
    'taskservs:\n',
  );
const run = (args: string[]) => box.run(args, { cwd: ws });
const state = () => parse(readFileSync(join(ws, 'infra', 'dev', 'state.yaml'), 'utf8'));

describe('taskserv create / check / delete run the scripts', () => {
  it('--check runs install.nu --check, dependencies first, and writes nothing', async () => {
    const result = await run(['taskserv', 'create', 'beta', '--infra', 'dev', '--check']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const alpha = result.stdout.indexOf(`alpha | [check] touch ${sandbox}/alpha`);
    const beta = result.stdout.indexOf(`beta | [check] touch ${sandbox}/beta`);
    expect(alpha).toBeGreaterThan(0);
    expect(beta).toBeGreaterThan(alpha);
    expect(readdirSync(sandbox)).toEqual([]);
    expect(existsSync(join(ws, 'infra', 'dev', 'state.yaml'))).toBe(false);
  });

  it('create installs and records; delete refuses a dependent, --cascade removes both', async () => {
    const created = await run(['taskserv', 'create', 'beta', '--infra', 'dev']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('alpha | alpha installed');
    expect(readdirSync(sandbox).sort()).toEqual(['alpha', 'beta']);
    const recorded = state();
    expect(Object.keys(recorded.modules).sort()).toEqual(['alpha', 'beta']);
    expect(recorded.modules.beta).toMatchObject({
      type: 'taskserv',
      version: '1.0.0',
      dependencies: ['alpha'],
    });
    expect(recorded.modules.beta.manifest_digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const listed = await run(['taskserv', 'list', '--infra', 'dev', '--json']);
    expect(JSON.parse(listed.stdout).modules.map((m: { name: string }) => m.name)).toEqual(['alpha', 'beta']);

    const checked = await run(['taskserv', 'check', 'beta', '--infra', 'dev']);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toContain('alpha | alpha ok');
    expect(checked.stdout).toContain('beta | beta ok');

    const refused = await run(['taskserv', 'delete', 'alpha', '--infra', 'dev']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'error: cannot delete taskserv alpha from infra dev: taskserv beta depends on it',
    );
    expect(readdirSync(sandbox).sort()).toEqual(['alpha', 'beta']);

    const deleted = await run(['taskserv', 'delete', 'alpha', '--infra', 'dev', '--cascade']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout.indexOf('beta 1.0.0: scripts/uninstall.nu')).toBeLessThan(
      deleted.stdout.indexOf('alpha 1.0.0: scripts/uninstall.nu'),
    );
    expect(readdirSync(sandbox)).toEqual([]);
    expect(state().modules).toEqual({});
  });

  it('a failing script stops the run and names module, script and exit code', async () => {
    const failed = await run(['taskserv', 'create', 'gamma', '--infra', 'dev', '--json']);
    expect(failed.code).toBe(1);
    expect(expectNoStackOrBox(failed.stderr)).toEqual([]);
    expect(failed.stderr).toContain(
      'error: taskserv gamma: scripts/install.nu failed with exit code 1: gamma broke',
    );
    const body = JSON.parse(failed.stdout).error;
    expect(body).toMatchObject({
      code: 'SCRIPT_FAILED',
      module: 'gamma',
      script: 'scripts/install.nu',
      exit_code: 1,
    });
    // alpha ran before it and is recorded; gamma is not
    expect(readdirSync(sandbox)).toEqual(['alpha']);
    expect(Object.keys(state().modules)).toEqual(['alpha']);
  });

  it('check.nu sees the documented environment only; --timeout stops a slow one', async () => {
    expect((await run(['taskserv', 'create', 'delta', '--infra', 'dev'])).code).toBe(0);
    const env = await box.run(['taskserv', 'check', 'delta', '--infra', 'dev'], {
      cwd: ws,
      env: { SECRET_TOKEN: 'x', PROVISIONING_TOKEN: 'y' },
    });
    expect(env.code, env.stderr).toBe(0);
    const line = env.stdout
      .split('\n')
      .find((l) => l.startsWith('delta | PATH') || l.startsWith('delta | '))!;
    expect(line).toContain('PROVISIONING_MODULE');
    expect(line).toContain('PROVISIONING_INFRA');
    expect(line).not.toContain('SECRET_TOKEN');
    expect(line).not.toContain('PROVISIONING_TOKEN');
    expect(line).not.toContain('PROVISIONING_HOME');

    writeFileSync(join(ws, 'infra', 'dev', 'settings.yaml'), infraSettings('sleep'));
    const slow = await run(['taskserv', 'check', 'delta', '--infra', 'dev', '--timeout', '1s']);
    expect(slow.code).toBe(1);
    expect(slow.stderr).toContain(
      'error: taskserv delta: scripts/check.nu ran longer than 1s and was stopped',
    );
  });
});

describe('nu --ide-check in test extension and oci package validate', () => {
  it('names the broken script with its line', async () => {
    const dir = join(extensions, 'beta');
    writeFileSync(
      join(dir, 'scripts', 'install.nu'),
      'def main [--settings: path] {\n  let s = (open $settings\n}\n',
    );
    const tested = await box.run(['test', 'extension', dir]);
    expect(tested.code).toBe(1);
    expect(tested.stdout).toMatch(/FAIL {2}parse scripts\/install\.nu/);
    expect(tested.stdout).toMatch(/scripts\/install\.nu:3:1: /);
    const validated = await box.run(['oci', 'package', 'validate', dir]);
    expect(validated.code).toBe(1);
    expect(validated.stdout).toMatch(/^scripts\/install\.nu:3:1: /m);
  });
});

describe('a nu that cannot run', () => {
  it('a PROVISIONING_NU that is not executable: one error line, exit 1, no file changed', async () => {
    const notNu = join(box.root, 'not-nu');
    writeFileSync(notNu, 'plain text\n', { mode: 0o644 });
    const before = readFileSync(join(ws, 'infra', 'dev', 'state.yaml'), 'utf8');
    const sandboxBefore = readdirSync(sandbox).sort();
    const infraBefore = readdirSync(join(ws, 'infra', 'dev')).sort();
    const result = await box.run(['taskserv', 'create', 'alpha', '--infra', 'dev'], {
      cwd: ws,
      env: { PROVISIONING_NU: notNu },
    });
    expect(result.code).toBe(1);
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);
    expect(result.stderr).toMatch(
      new RegExp(`^error: PROVISIONING_NU=${notNu} is not an executable file`, 'm'),
    );
    expect(readFileSync(join(ws, 'infra', 'dev', 'state.yaml'), 'utf8')).toBe(before);
    expect(readdirSync(sandbox).sort()).toEqual(sandboxBefore);
    expect(readdirSync(join(ws, 'infra', 'dev')).sort()).toEqual(infraBefore);
  });
});
