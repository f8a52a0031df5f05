/**
 * `oci login` / `oci logout` against a real registry with htpasswd auth: the password only from
 * stdin, verified before it is stored (0600), never printed; pushes work after login and fail after
 * logout.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type RunningDistribution,
  startDistribution,
  writeFakeCredentialHelper,
} from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackOrBox, Sandbox } from './support/run-cli.js';

const USER = 'ci-robot';
const PASSWORD = 's3cret-Passw0rd!';
const box = new Sandbox();
let registry: RunningDistribution;
let env: Record<string, string>;
let extensionDir: string;

/** The CLI with `input` on stdin (the way `printf %s "$PW" | provisioning oci login …` runs it). */
const runWithStdin = (args: string[], input: string) => box.run(args, { env, input });

const credentialsFile = () => join(box.home, 'docker', 'config.json');
const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

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
    // docker's format (base64 user:password by host); the trailing newline of `echo` is not part of it
    expect(JSON.parse(readFileSync(credentialsFile(), 'utf8')).auths).toEqual({
      [registry.host]: { auth: basic },
    });
    expect(out.helper).toBeNull();

    const pushed = await box.run(['oci', 'push', extensionDir, 'redis', '1.0.0', '--json'], { env });
    expect(pushed.code, pushed.stderr).toBe(0);
    const tags = await box.run(['oci', 'tags', 'redis', '--json'], { env });
    expect(JSON.parse(tags.stdout).tags.map((t: { version: string }) => t.version)).toEqual(['1.0.0']);
  });

  it('logout forgets the credentials; afterwards the registry refuses again', async () => {
    const out = await box.run(['oci', 'logout', registry.host, '--json'], { env });
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ registry: registry.host, removed: true });
    expect(readFileSync(credentialsFile(), 'utf8')).not.toContain(basic);
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

  it('-u USER --password-stdin on any registry command: used for that run, never stored', async () => {
    const pushed = await runWithStdin(
      ['oci', 'tags', 'redis', '-u', USER, '--password-stdin', '--json'],
      `${PASSWORD}\n`,
    );
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(JSON.parse(pushed.stdout).tags.map((t: { version: string }) => t.version)).toEqual(['1.0.0']);
    expect(pushed.stdout + pushed.stderr).not.toContain(PASSWORD);
    expect(readFileSync(credentialsFile(), 'utf8')).not.toContain(basic);
    const wrong = await runWithStdin(['oci', 'tags', 'redis', '-u', USER, '--password-stdin'], 'nope');
    expect(wrong.code).toBe(3);
    const half = await box.run(['oci', 'tags', 'redis', '-u', USER], { env });
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/^error: --username needs --password-stdin/);
  });

  it('with a credsStore in the Docker config, login and logout go through the helper; nothing plaintext is written', async () => {
    const bin = join(box.root, 'helper-bin');
    const vault = join(box.root, 'vault.json');
    const dockerDir = join(box.root, 'docker-config');
    mkdirSync(bin, { recursive: true });
    mkdirSync(dockerDir, { recursive: true });
    writeFakeCredentialHelper(bin, 'vault', vault);
    writeFileSync(join(dockerDir, 'config.json'), JSON.stringify({ credsStore: 'vault' }));
    const saved = { ...env };
    Object.assign(env, { DOCKER_CONFIG: dockerDir, PATH: `${bin}:${process.env.PATH}` });
    try {
      const before = readFileSync(credentialsFile(), 'utf8');
      const login = await runWithStdin(
        ['oci', 'login', registry.host, '-u', USER, '--password-stdin', '--json'],
        PASSWORD,
      );
      expect(login.code, login.stderr).toBe(0);
      expect(JSON.parse(login.stdout)).toMatchObject({ helper: 'vault', file: 'docker-credential-vault' });
      expect(JSON.parse(readFileSync(vault, 'utf8'))[registry.host].Secret).toBe(PASSWORD);
      expect(readFileSync(credentialsFile(), 'utf8')).toBe(before);
      const tags = await box.run(['oci', 'tags', 'redis', '--json'], { env });
      expect(tags.code, tags.stderr).toBe(0);
      const logout = await box.run(['oci', 'logout', registry.host, '--json'], { env });
      expect(JSON.parse(logout.stdout).removed).toBe(true);
      expect(JSON.parse(readFileSync(vault, 'utf8'))).toEqual({});
    } finally {
      for (const key of Object.keys(env)) delete env[key];
      Object.assign(env, saved);
    }
  });

  it('--registry-config FILE is where login writes and commands read; a world-readable one is warned about', async () => {
    const file = join(box.root, 'ci-auth.json');
    const login = await runWithStdin(
      ['oci', 'login', registry.host, '-u', USER, '--password-stdin', '--registry-config', file],
      PASSWORD,
    );
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain(`stored in ${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    chmodSync(file, 0o644);
    const tags = await box.run(['oci', 'tags', 'redis', '--registry-config', file], { env });
    expect(tags.code, tags.stderr).toBe(0);
    expect(tags.stderr).toBe(
      `warning: ${file} holds credentials and is readable by others (mode 0644); run: chmod 600 ${file}\n`,
    );
    const viaEnv = await box.run(['oci', 'tags', 'redis'], { env: { ...env, REGISTRY_AUTH_FILE: file } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
  });
});
