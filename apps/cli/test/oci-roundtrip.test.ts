/**
 * `oci push → tags → inspect → pull`, `list`, `search`, `publish`, `delete` and the error paths,
 * with the CLI spawned as a user runs it against a real CNCF Distribution registry.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RunningDistribution, requireBinary, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, expectNoStackOrBox, jsonOk, Sandbox } from './support/run-cli.js';

const run = promisify(execFile);
const skopeo = requireBinary('skopeo');
const box = new Sandbox();
let registry: RunningDistribution;
let env: Record<string, string>;
const NS = 'provisioning-extensions';

/** Scaffold an extension at a version (its directory is named after it). */
async function extension(
  type: string,
  name: string,
  version = '1.0.0',
  dir = join(box.root, 'src', `${name}-${version}`, name),
) {
  const generated = await box.run(['generate', 'extension', type, name, '--dir', dir, '--version', version]);
  expect(generated.code, generated.stderr).toBe(0);
  return dir;
}

/** A failure: the expected exit status, `error: …` + `  hint: …` on stderr, nothing else. */
function expectFailure(result: CliResult, exitCode: number, message: RegExp) {
  expect(result.code, result.stderr).toBe(exitCode);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(message);
  expect(lines.slice(1).every((line) => line.startsWith('  hint: '))).toBe(true);
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(expectNoStackOrBox(result.stderr)).toEqual([]);
}

beforeAll(async () => {
  registry = await startDistribution();
  env = { PROVISIONING_REGISTRY: registry.host };
});
afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

describe('oci push → tags → inspect → pull', () => {
  let pushed: { reference: string; digest: string; layer_digest: string; size: number };

  it('push prints the reference and digest; --json gives reference, digest, size and layer digest', async () => {
    const dir = await extension('taskserv', 'redis', '1.0.0');
    const human = await box.run(['oci', 'push', dir, 'redis', '1.0.0'], { env });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`pushed ${registry.host}/${NS}/redis:1.0.0`);
    expect(human.stdout).toMatch(/digest {2}sha256:[0-9a-f]{64}/);
    expect(human.stderr).toBe(''); // no progress bar without a terminal
    pushed = jsonOk(await box.run(['oci', 'push', dir, 'redis', '1.0.0', '--json'], { env }));
    expect(pushed.reference).toBe(`${registry.host}/${NS}/redis:1.0.0`);
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(pushed.layer_digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(human.stdout).toContain(pushed.digest); // deterministic: same digest both times
    // skopeo sees exactly the manifest we reported
    const raw = await run(skopeo, ['inspect', '--raw', '--tls-verify=false', `docker://${pushed.reference}`]);
    const manifest = JSON.parse(raw.stdout);
    expect(manifest.artifactType).toBe('application/vnd.provisioning.extension.v1');
    expect(manifest.layers[0].digest).toBe(pushed.layer_digest);
    expect(Buffer.byteLength(raw.stdout.trimEnd())).toBe(pushed.size);
  });

  it('tags prints the seed table, semver highest first, other tags after', async () => {
    for (const version of ['1.10.0', '1.2.0']) {
      const dir = await extension('taskserv', 'redis', version);
      jsonOk(await box.run(['oci', 'push', dir, 'redis', version, '--json'], { env }));
    }
    jsonOk(
      await box.run(['oci', 'copy', 'redis:1.2.0', `${registry.host}/${NS}/redis:latest`, '--json'], { env }),
    );
    const table = await box.run(['oci', 'tags', 'redis'], { env });
    expect(table.code, table.stderr).toBe(0);
    const ref = (tag: string) => `${registry.host}/${NS}/redis:${tag}`;
    const width = ref('1.10.0').length;
    expect(table.stdout).toBe(
      [
        `┌──────────┬─────────┬─${'─'.repeat(width)}─┐`,
        `│ artifact │ version │ ${'reference'.padEnd(width)} │`,
        `├──────────┼─────────┼─${'─'.repeat(width)}─┤`,
        `│ redis    │ 1.10.0  │ ${ref('1.10.0').padEnd(width)} │`,
        `│ redis    │ 1.2.0   │ ${ref('1.2.0').padEnd(width)} │`,
        `│ redis    │ 1.0.0   │ ${ref('1.0.0').padEnd(width)} │`,
        `│ redis    │ latest  │ ${ref('latest').padEnd(width)} │`,
        `└──────────┴─────────┴─${'─'.repeat(width)}─┘`,
        '',
      ].join('\n'),
    );
    const out = jsonOk(await box.run(['oci', 'tags', 'redis', '--json'], { env }));
    expect(out.tags.map((t: { version: string }) => t.version)).toEqual([
      '1.10.0',
      '1.2.0',
      '1.0.0',
      'latest',
    ]);
    expect(out.tags.map((t: { semver: boolean }) => t.semver)).toEqual([true, true, true, false]);
  });

  it('inspect shows manifest, annotations and the extension metadata from the config blob', async () => {
    const out = jsonOk(await box.run(['oci', 'inspect', 'redis:1.0.0', '--json'], { env }));
    expect(out.digest).toBe(pushed.digest);
    expect(out.artifactType).toBe('application/vnd.provisioning.extension.v1');
    expect(out.config.mediaType).toBe('application/vnd.provisioning.extension.config.v1+json');
    expect(out.layers).toHaveLength(1);
    expect(out.layers[0].digest).toBe(pushed.layer_digest);
    expect(out.annotations['org.opencontainers.image.version']).toBe('1.0.0');
    expect(out.extension).toMatchObject({ name: 'redis', type: 'taskserv', version: '1.0.0' });
    expect(out.total_size).toBe(out.size + out.config.size + out.layers[0].size);
    const human = await box.run(['oci', 'inspect', `oci://${registry.host}/${NS}/redis@${pushed.digest}`], {
      env,
    });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`${registry.host}/${NS}/redis@${pushed.digest}`);
    expect(human.stdout).toMatch(/name +redis/);
    expect(human.stdout).toContain('application/vnd.provisioning.extension.content.v1.tar+gzip');
  });

  it('pull unpacks into ./NAME through the cache, refuses a non-empty dir without --force', async () => {
    const cwd = join(box.root, 'pull-here');
    mkdirSync(cwd);
    const out = jsonOk(await box.run(['oci', 'pull', 'redis:1.0.0', '--json'], { env, cwd }));
    expect(out.output).toBe(join(cwd, 'redis'));
    expect(out.digest).toBe(pushed.digest);
    expect(out.downloaded).toBe(true);
    expect(readFileSync(join(cwd, 'redis', 'manifest.yaml'), 'utf8')).toContain('version: 1.0.0');
    expect(existsSync(join(cwd, 'redis', 'oci-manifest.json'))).toBe(true);
    // the layer is in the content-addressed cache
    const hex = pushed.layer_digest.slice('sha256:'.length);
    const cacheRepo = join(box.home, 'oci-cache', registry.host.replace(':', '_'), NS, 'redis');
    expect(existsSync(join(cacheRepo, 'blobs', 'sha256', hex))).toBe(true);

    expectFailure(
      await box.run(['oci', 'pull', 'redis:1.0.0'], { env, cwd }),
      1,
      /already exists and is not empty/,
    );
    writeFileSync(join(cwd, 'redis', 'stray.txt'), 'x');
    const forced = jsonOk(await box.run(['oci', 'pull', 'redis:1.0.0', '--force', '--json'], { env, cwd }));
    expect(forced.downloaded).toBe(false); // served from the cache
    expect(existsSync(join(cwd, 'redis', 'stray.txt'))).toBe(false);

    // a damaged cached layer is refused by the verified read, dropped and fetched again
    const cachedLayer = join(cacheRepo, 'blobs', 'sha256', hex);
    const damaged = readFileSync(cachedLayer);
    damaged[100] = (damaged[100] ?? 0) ^ 0xff;
    chmodSync(cachedLayer, 0o644);
    writeFileSync(cachedLayer, damaged);
    const healed = jsonOk(await box.run(['oci', 'pull', 'redis:1.0.0', '--force', '--json'], { env, cwd }));
    expect(healed.downloaded).toBe(true);
    expect(createHash('sha256').update(readFileSync(cachedLayer)).digest('hex')).toBe(hex);
    // a cached manifest whose layer went missing fetches the layer
    rmSync(cachedLayer);
    const refetched = jsonOk(
      await box.run(['oci', 'pull', 'redis:1.0.0', '--force', '--json'], { env, cwd }),
    );
    expect(refetched.downloaded).toBe(true);
    expect(existsSync(cachedLayer)).toBe(true);

    // no version: the highest semver tag; --output elsewhere
    const latest = jsonOk(await box.run(['oci', 'pull', 'redis', '-o', 'vendor/r', '--json'], { env, cwd }));
    expect(latest.version).toBe('1.10.0');
    expect(latest.output).toBe(join(cwd, 'vendor', 'r'));
  });

  it('pull of something that is not an extension says so', async () => {
    const layout = join(box.root, 'plain-layout');
    // an ordinary empty container image, built with umoci
    const umoci = requireBinary('umoci');
    await run(umoci, ['init', '--layout', layout]);
    await run(umoci, ['new', '--image', `${layout}:v1`]);
    jsonOk(
      await box.run(
        ['oci', 'copy', `oci-layout:${layout}:v1`, `${registry.host}/library/base:v1`, '--json'],
        { env },
      ),
    );
    expectFailure(
      await box.run(['oci', 'pull', `${registry.host}/library/base:v1`], { env, cwd: box.root }),
      1,
      /not a provisioning extension/,
    );
    const inspected = jsonOk(
      await box.run(['oci', 'inspect', `${registry.host}/library/base:v1`, '--json'], { env }),
    );
    expect(inspected.extension).toBeNull();
    expect(inspected.config.mediaType).toBe('application/vnd.oci.image.config.v1+json');
  });
});

describe('oci list, search, publish', () => {
  beforeAll(async () => {
    const dir = await extension('provider', 'upcloud', '1.5.0');
    writeFileSync(
      join(dir, 'manifest.yaml'),
      readFileSync(join(dir, 'manifest.yaml'), 'utf8').replace(
        /^description: .*$/m,
        'description: UpCloud servers in Helsinki',
      ),
    );
    jsonOk(await box.run(['oci', 'push', dir, 'upcloud', '1.5.0', '--json'], { env }));
  });

  it('list shows the namespace with the newest version of each extension', async () => {
    const out = jsonOk(await box.run(['oci', 'list', '--json'], { env }));
    expect(out.namespace).toBe(NS);
    const names = out.extensions.map((e: { name: string }) => e.name);
    expect(names).toEqual(['redis', 'upcloud']); // library/base is in another namespace
    expect(out.extensions[0]).toMatchObject({
      latest: '1.10.0',
      reference: `${registry.host}/${NS}/redis:1.10.0`,
    });
    const human = await box.run(['oci', 'list', '--namespace', NS], { env });
    expect(human.stdout).toMatch(/│ artifact +│ latest version │ reference +│/);
    expect(human.stdout).toMatch(/│ upcloud +│ 1\.5\.0 +│/);
    const other = jsonOk(await box.run(['oci', 'list', '--namespace', 'library', '--json'], { env }));
    expect(other.extensions.map((e: { name: string }) => e.name)).toEqual(['base']);
  });

  it('search matches descriptions (case-insensitive) and names', async () => {
    const byDescription = jsonOk(await box.run(['oci', 'search', 'HELSINKI', '--json'], { env }));
    expect(byDescription.matches).toHaveLength(1);
    expect(byDescription.matches[0]).toMatchObject({ name: 'upcloud', version: '1.5.0', type: 'provider' });
    const byName = await box.run(['oci', 'search', 'redi'], { env });
    expect(byName.code, byName.stderr).toBe(0);
    expect(byName.stdout).toMatch(/│ redis +│ 1\.10\.0 +│ taskserv/);
    const none = await box.run(['oci', 'search', 'no-such-thing'], { env });
    expect(none.stdout.trim()).toBe('no extension matches "no-such-thing"');
  });

  it('publish finds extensions/*/NAME and pushes it at its manifest version', async () => {
    const repo = join(box.root, 'monorepo');
    cpSync(await extension('taskserv', 'etcd', '3.5.1'), join(repo, 'extensions', 'taskservs', 'etcd'), {
      recursive: true,
    });
    const out = jsonOk(await box.run(['oci', 'publish', 'etcd', '--json'], { env, cwd: repo }));
    expect(out.reference).toBe(`${registry.host}/${NS}/etcd:3.5.1`);
    expect(out.directory).toBe(join(repo, 'extensions', 'taskservs', 'etcd'));
    const viaDir = jsonOk(await box.run(['oci', 'publish', 'etcd', '--dir', repo, '--json'], { env }));
    expect(viaDir.digest).toBe(out.digest);
    // `.` inside the extension directory is that directory, not an extension named "."
    const etcdDir = join(repo, 'extensions', 'taskservs', 'etcd');
    const viaDot = jsonOk(await box.run(['oci', 'publish', '.', '--json'], { env, cwd: etcdDir }));
    expect(viaDot.digest).toBe(out.digest);
    expect(viaDot.directory).toBe(etcdDir);
    expectFailure(await box.run(['oci', 'publish', 'nope'], { env, cwd: repo }), 1, /no extension "nope"/);
  });

  it('publish NAME... and --all push several extensions in one run and report every failure', async () => {
    const repo = join(box.root, 'many');
    for (const [type, name, version] of [
      ['provider', 'hetzner', '0.3.0'],
      ['taskserv', 'valkey', '8.0.1'],
      ['cluster', 'mesh', '1.0.0'],
    ] as const) {
      cpSync(await extension(type, name, version), join(repo, 'extensions', `${type}s`, name), {
        recursive: true,
      });
    }
    const all = jsonOk(await box.run(['oci', 'publish', '--all', '--dir', repo, '--json'], { env }));
    expect(all.map((r: { reference: string }) => r.reference).sort()).toEqual([
      `${registry.host}/${NS}/hetzner:0.3.0`,
      `${registry.host}/${NS}/mesh:1.0.0`,
      `${registry.host}/${NS}/valkey:8.0.1`,
    ]);
    const partial = await box.run(['oci', 'publish', 'valkey', 'missing', 'mesh', '--dir', repo], { env });
    expect(partial.code).toBe(1);
    // identical content was already published by --all: a no-op, said as such
    expect(partial.stdout).toContain(`unchanged ${registry.host}/${NS}/valkey:8.0.1`);
    expect(partial.stdout).toContain(`unchanged ${registry.host}/${NS}/mesh:1.0.0`);
    expect(partial.stderr).toContain(
      'error: 1 of 3 publishes failed; first: missing: no extension "missing"',
    );
    expectFailure(await box.run(['oci', 'publish'], { env, cwd: repo }), 2, /name the extensions to publish/);
    expectFailure(
      await box.run(['oci', 'publish', 'mesh', '--all'], { env, cwd: repo }),
      2,
      /give extension names or --all, not both/,
    );
    expectFailure(
      await box.run(['oci', 'publish', '--all'], { env, cwd: box.root }),
      1,
      /no extensions under /,
    );
  });
});

describe('oci delete', () => {
  it('needs --yes without a terminal, then deletes the version', async () => {
    const dir = await extension('taskserv', 'scratch', '0.0.1');
    jsonOk(await box.run(['oci', 'push', dir, 'scratch', '0.0.1', '--json'], { env }));
    expectFailure(await box.run(['oci', 'delete', 'scratch:0.0.1'], { env }), 2, /without confirmation/);
    const deleted = jsonOk(await box.run(['oci', 'delete', 'scratch:0.0.1', '--yes', '--json'], { env }));
    expect(deleted.reference).toBe(`${registry.host}/${NS}/scratch:0.0.1`);
    expectFailure(
      await box.run(['oci', 'inspect', 'scratch:0.0.1'], { env }),
      1,
      /scratch has no version 0\.0\.1/,
    );
  });
});

describe('bad input and unreachable registries', () => {
  it('name or version that does not match manifest.yaml → exit 1 naming the file', async () => {
    const dir = await extension('taskserv', 'mismatch', '2.0.0');
    expectFailure(
      await box.run(['oci', 'push', dir, 'other', '2.0.0'], { env }),
      1,
      /manifest\.yaml: name is "mismatch", not "other"/,
    );
    expectFailure(
      await box.run(['oci', 'push', dir, 'mismatch', '2.0.1'], { env }),
      1,
      /version is "2\.0\.0", not "2\.0\.1"/,
    );
  });

  it('missing directory, bad reference → exit 1 with one line', async () => {
    expectFailure(
      await box.run(['oci', 'push', join(box.root, 'missing'), 'x', '1.0.0'], { env }),
      1,
      /missing/,
    );
    expectFailure(
      await box.run(['oci', 'pull', 'Bad Ref:1.0'], { env }),
      1,
      /invalid reference "Bad Ref:1\.0"/,
    );
    expectFailure(await box.run(['oci', 'tags', 'redis:1.0.0'], { env }), 2, /names a version/);
    const machine = await box.run(['oci', 'inspect', 'Redis:1.0.0', '--json'], { env });
    expect(machine.code).toBe(1);
    expect(JSON.parse(machine.stdout).error.code).toBe('REFERENCE_INVALID');
  });

  it('registry down → exit 3', async () => {
    const down = { PROVISIONING_REGISTRY: '127.0.0.1:1' };
    expectFailure(await box.run(['oci', 'tags', 'redis'], { env: down }), 3, /127\.0\.0\.1:1/);
    const dir = await extension('taskserv', 'offline', '1.0.0');
    const pushed = await box.run(['oci', 'push', dir, 'offline', '1.0.0', '--json'], { env: down });
    expect(pushed.code).toBe(3);
    expect(JSON.parse(pushed.stdout).error.kind).toBe('network');
  });
});
