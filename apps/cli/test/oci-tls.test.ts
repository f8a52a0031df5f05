/**
 * HTTPS to loopback registries as a user runs it (docs/oci.md, "TLS and plain HTTP"): a real CNCF
 * Distribution serving HTTPS with a self-signed certificate and htpasswd auth, and a plain-HTTP
 * one. `--insecure` is HTTPS without verification (loopback too), `https://`/`http://` on a
 * reference choose the scheme, and the wrong scheme either way is one line naming the flag.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RunningDistribution, requireBinary, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, expectNoStackOrBox, jsonOk, Sandbox } from './support/run-cli.js';

const run = promisify(execFile);
const skopeo = requireBinary('skopeo');
const box = new Sandbox();
const USER = 'alice';
const PASSWORD = 'tls-s3cret-pw';
const NS = 'provisioning-extensions';
let tls: RunningDistribution;
let plain: RunningDistribution;

beforeAll(async () => {
  [tls, plain] = await Promise.all([
    startDistribution({ tls: true, auth: { htpasswd: { user: USER, password: PASSWORD } } }),
    startDistribution(),
  ]);
});
afterAll(async () => {
  await Promise.all([tls?.stop(), plain?.stop()]);
  box.cleanup();
});

const withStdin = (args: string[], input: string, env: Record<string, string>) =>
  box.run(args, { env, input });

/** One `error:` line and at most one `  hint:` line, nothing else; returns the hint. */
function expectOneLine(result: CliResult, exitCode: number, message: RegExp): string {
  expect(result.code, result.stderr).toBe(exitCode);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(message);
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(expectNoStackOrBox(result.stderr)).toEqual([]);
  return lines[1] ?? '';
}

describe('--insecure against an HTTPS registry on 127.0.0.1', () => {
  it('login, push, tags and pull over HTTPS, verified against the https:// origin', async () => {
    const env = { PROVISIONING_REGISTRY: tls.host };
    const login = await withStdin(
      ['oci', 'login', tls.host, '--username', USER, '--password-stdin', '--insecure', '--json'],
      PASSWORD,
      env,
    );
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(login.stdout).origin).toBe(`https://${tls.host}`);
    // stored as docker stores them: by host, in the docker-format login file
    const stored = JSON.parse(readFileSync(join(box.home, 'docker', 'config.json'), 'utf8'));
    expect(Object.keys(stored.auths)).toEqual([tls.host]);

    const dir = join(box.root, 'src', 'redis');
    const generated = await box.run(['generate', 'extension', 'taskserv', 'redis', '--dir', dir]);
    expect(generated.code, generated.stderr).toBe(0);
    const pushed = jsonOk(
      await box.run(['oci', 'push', dir, 'redis', '1.0.0', '--insecure', '--json'], { env }),
    );
    expect(pushed.reference).toBe(`${tls.host}/${NS}/redis:1.0.0`);
    // skopeo sees it on the HTTPS registry
    const raw = await run(skopeo, [
      'inspect',
      '--raw',
      '--tls-verify=false',
      `--creds=${USER}:${PASSWORD}`,
      `docker://${tls.host}/${NS}/redis:1.0.0`,
    ]);
    expect(JSON.parse(raw.stdout).artifactType).toBe('application/vnd.provisioning.extension.v1');

    const tags = jsonOk(await box.run(['oci', 'tags', 'redis', '--insecure', '--json'], { env }));
    expect(tags.tags.map((t: { version: string }) => t.version)).toEqual(['1.0.0']);

    // a full https:// reference chooses HTTPS for that registry, whatever is configured
    const cwd = join(box.root, 'pull-here');
    mkdirSync(cwd);
    const pulled = jsonOk(
      await box.run(['oci', 'pull', `https://${tls.host}/${NS}/redis:1.0.0`, '--insecure', '--json'], {
        cwd,
      }),
    );
    expect(pulled.digest).toBe(pushed.digest);
    expect(readFileSync(join(cwd, 'redis', 'manifest.yaml'), 'utf8')).toContain('name: redis');
  });

  it('copy between schemes: https:// sources, http:// destinations, one command with --insecure', async () => {
    const dir = join(box.root, 'src', 'nginx');
    expect((await box.run(['generate', 'extension', 'taskserv', 'nginx', '--dir', dir])).code).toBe(0);
    jsonOk(
      await box.run(['oci', 'push', dir, 'nginx', '1.0.0', '--insecure', '--json'], {
        env: { PROVISIONING_REGISTRY: tls.host },
      }),
    );
    const redis = `https://${tls.host}/${NS}/redis:1.0.0`;
    const nginx = `https://${tls.host}/${NS}/nginx:1.0.0`;
    const one = await box.run(
      ['oci', 'copy', redis, `http://${plain.host}/mirror/redis:1.0.0`, '--insecure'],
      {},
    );
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain(`${plain.host}/mirror/redis:1.0.0`);
    // several sources into a namespace: every copy keeps the destination's scheme
    const many = await box.run(['oci', 'copy', redis, nginx, `http://${plain.host}/many`, '--insecure'], {});
    expect(many.code, many.stderr).toBe(0);
    for (const name of ['mirror/redis', 'many/redis', 'many/nginx']) {
      const raw = await run(skopeo, [
        'inspect',
        '--raw',
        '--tls-verify=false',
        `docker://${plain.host}/${name}:1.0.0`,
      ]);
      expect(JSON.parse(raw.stdout).artifactType).toBe('application/vnd.provisioning.extension.v1');
    }
  });

  it('without --insecure the plain-HTTP default gets one line naming --insecure, exit 3, no file written', async () => {
    const env = { PROVISIONING_REGISTRY: tls.host };
    const hint = expectOneLine(
      await box.run(['oci', 'tags', 'redis'], { env }),
      3,
      new RegExp(`${tls.host.replace('.', '\\.')} serves HTTPS and refused a plain HTTP request`),
    );
    expect(hint).toContain('--insecure');
    expect(hint).toContain(`https://${tls.host}/`);
    const asJson = await box.run(['oci', 'pull', `${tls.host}/${NS}/redis:1.0.0`, '--json'], {
      cwd: box.root,
    });
    expect(asJson.code).toBe(3);
    expect(JSON.parse(asJson.stdout).error).toMatchObject({ code: 'SCHEME_MISMATCH', kind: 'network' });
    expect(asJson.stdout).not.toContain(PASSWORD);
    expect(existsSync(join(box.root, 'redis'))).toBe(false);
    // an http:// reference asks for plain HTTP explicitly: the same answer, even with --insecure
    expect(
      expectOneLine(
        await box.run(['oci', 'tags', `http://${tls.host}/${NS}/redis`, '--insecure'], {}),
        3,
        /serves HTTPS/,
      ),
    ).toContain('--insecure');
  });

  it('https:// without --insecure meets the self-signed certificate: the hint says --insecure', async () => {
    const hint = expectOneLine(
      await box.run(['oci', 'tags', `https://${tls.host}/${NS}/redis`], {}),
      3,
      /cannot reach/,
    );
    expect(hint).toContain('--insecure');
  });
});

describe('HTTPS to a plain-HTTP registry', () => {
  it('--insecure against a plain registry is one line naming --plain-http; http:// on the reference fixes it', async () => {
    const hint = expectOneLine(
      await box.run(['oci', 'tags', `${plain.host}/${NS}/redis`, '--insecure'], {}),
      3,
      new RegExp(`${plain.host.replace('.', '\\.')} serves plain HTTP, not HTTPS`),
    );
    expect(hint).toContain('--plain-http');
    expect(hint).toContain(`http://${plain.host}/`);
    // the scheme on the reference wins over --insecure for that registry
    const fixed = await box.run(['oci', 'tags', `http://${plain.host}/${NS}/redis`, '--insecure'], {});
    expect(fixed.stderr).not.toMatch(/serves plain HTTP/);
    expect(fixed.stderr).toMatch(/does not exist/);
  });

  it('--plain-http and --insecure together are a usage error', async () => {
    const both = await box.run(
      ['oci', 'tags', `${plain.host}/${NS}/redis`, '--plain-http', '--insecure'],
      {},
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--insecure|--plain-http/);
  });
});
