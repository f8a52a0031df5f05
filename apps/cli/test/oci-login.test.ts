/**
 * `oci login` / `oci logout` against a real registry with htpasswd auth: the password only from
 * stdin, verified before it is stored (0600), never printed; pushes work after login and fail after
 * logout.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type CliResult, expectNoStackOrBox, Sandbox } from './support/run-cli.js';

const USER = 'ci-robot';
const PASSWORD = 's3cret-Passw0rd!';
const box = new Sandbox();
let registry: RunningDistribution;
let env: Record<string, string>;
let extensionDir: string;

/** The CLI with `input` on stdin (the way `printf %s "$PW" | provisioning oci login …` runs it). */
function runWithStdin(args: string[], input: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: box.root,
      env: { PATH: process.env.PATH ?? '', HOME: box.userHome, PROVISIONING_HOME: box.home, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

const credentialsFile = () => join(box.home, 'credentials.json');

beforeAll(async () => {
  registry = await startDistribution({ auth: { htpasswd: { user: USER, password: PASSWORD } } });
  env = { PROVISIONING_REGISTRY: registry.host };
  extensionDir = join(box.root, 'src', 'redis');
  const generated = await box.run(['generate', 'extension', 'taskserv', 'redis', '--dir', extensionDir]);
  expect(generated.code, generated.stderr).toBe(0);
});
afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

describe('oci login / logout (htpasswd)', () => {
  it('without credentials a push is refused with exit 3 and a login hint', async () => {
    const result = await box.run(['oci', 'push', extensionDir, 'redis', '1.0.0'], { env });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: .*\n {2}hint: .*oci login/);
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);
  });

  it('a wrong password is rejected and nothing is stored', async () => {
    const result = await runWithStdin(
      ['oci', 'login', registry.host, '--username', USER, '--password-stdin'],
      'wrong-password\n',
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: login to .* failed/);
    expect(result.stderr).not.toContain('wrong-password');
    expect(existsSync(credentialsFile())).toBe(false);
  });

  it('the password is never taken from argv, and stdin must be piped when there is no terminal', async () => {
    const viaFlag = await box.run(
      ['oci', 'login', registry.host, '--username', USER, '--password', PASSWORD],
      {
        env,
      },
    );
    expect(viaFlag.code).toBe(2);
    expect(viaFlag.stderr).not.toContain(PASSWORD);
    const noStdinFlag = await box.run(['oci', 'login', registry.host, '--username', USER], { env });
    expect(noStdinFlag.code).toBe(2);
    expect(noStdinFlag.stderr).toMatch(/--password-stdin/);
    expect(existsSync(credentialsFile())).toBe(false);
  });

  it('an empty stdin says so, names the user, and quotes it for the shell', async () => {
    const result = await runWithStdin(
      ['oci', 'login', registry.host, '--username', 'robot$ci', '--password-stdin'],
      '',
    );
    expect(result.code).toBe(2);
    const [line, hint] = result.stderr.trimEnd().split('\n');
    expect(line).toBe(`error: login to ${registry.host}: stdin was empty, no password read`);
    expect(hint).toContain("--username 'robot$ci' --password-stdin");
    expect(existsSync(credentialsFile())).toBe(false);
    const help = await box.run(['oci', 'login', '--help'], { env });
    expect(help.stdout).toContain("--username 'robot$ci'");
  });

  it('--password-stdin logs in, stores the credentials 0600, and never prints the password', async () => {
    const result = await runWithStdin(
      ['oci', 'login', registry.host, '--username', USER, '--password-stdin', '--json'],
      `${PASSWORD}\n`,
    );
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({ registry: registry.host, origin: `http://${registry.host}`, username: USER });
    expect(out.file).toBe(credentialsFile());
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    expect(statSync(credentialsFile()).mode & 0o777).toBe(0o600);
    // the trailing newline of `echo` is not part of the password
    expect(readFileSync(credentialsFile(), 'utf8')).toContain(JSON.stringify(PASSWORD));

    const pushed = await box.run(['oci', 'push', extensionDir, 'redis', '1.0.0', '--json'], { env });
    expect(pushed.code, pushed.stderr).toBe(0);
    const tags = await box.run(['oci', 'tags', 'redis', '--json'], { env });
    expect(JSON.parse(tags.stdout).tags.map((t: { version: string }) => t.version)).toEqual(['1.0.0']);
  });

  it('logout forgets the credentials; afterwards the registry refuses again', async () => {
    const out = await box.run(['oci', 'logout', registry.host, '--json'], { env });
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ registry: registry.host, removed: true });
    expect(readFileSync(credentialsFile(), 'utf8')).not.toContain(PASSWORD);
    const again = await box.run(['oci', 'logout', registry.host], { env });
    expect(again.stdout.trim()).toBe(`Not logged in to ${registry.host}`);
    const tags = await box.run(['oci', 'tags', 'redis'], { env });
    expect(tags.code).toBe(3);
  });

  it('an invalid registry name is an input error', async () => {
    const result = await runWithStdin(
      ['oci', 'login', 'not a host', '--username', USER, '--password-stdin'],
      'x',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: invalid registry "not a host"/);
  });
});
