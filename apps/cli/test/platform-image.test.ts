/**
 * `platform image build` against a real Distribution registry: a tiny Node base image (built with
 * umoci, a two-platform index pushed with skopeo), an app bundle added as one layer, read back by
 * skopeo and unpacked by umoci; the same inputs give the same digest; a workspace pins the pushed
 * image by digest; bad input is one line and writes nothing.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, type RunningDistribution, requireBinary, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefusal, jsonOk, Sandbox } from './support/run-cli.js';

const run = promisify(execFile);
const skopeo = requireBinary('skopeo');
const umoci = requireBinary('umoci');
const box = new Sandbox();
let registry: RunningDistribution;
let env: Record<string, string>;
let app: string;
let baseLayers: Record<'amd64' | 'arm64', string[]>;

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** A base image for one architecture: `/usr/local/bin/node`, a shell script saying which one it is. */
async function umociImage(layout: string, tag: string, arch: string): Promise<void> {
  await run(umoci, ['new', '--image', `${layout}:${tag}`]);
  const bundle = join(box.root, `bundle-${tag}`);
  await run(umoci, ['unpack', '--rootless', '--image', `${layout}:${tag}`, bundle]);
  await mkdir(join(bundle, 'rootfs', 'usr', 'local', 'bin'), { recursive: true });
  const node = join(bundle, 'rootfs', 'usr', 'local', 'bin', 'node');
  await writeFile(node, `#!/bin/sh\necho "fake node ${arch}" "$@"\n`);
  await chmod(node, 0o755);
  await run(umoci, ['repack', '--image', `${layout}:${tag}`, bundle]);
  await run(umoci, [
    'config',
    '--image',
    `${layout}:${tag}`,
    '--architecture',
    arch,
    '--os',
    'linux',
    '--config.cmd',
    'node',
    '--config.env',
    'PATH=/usr/local/bin:/usr/bin:/bin',
  ]);
}

interface LayoutIndex {
  manifests: { mediaType: string; digest: string; size: number; annotations?: Record<string, string> }[];
}

/** Adds an image index `tag` listing the layout's `amd64` and `arm64` images, as a multi-arch base is. */
async function addIndex(layout: string, tag: string): Promise<void> {
  const indexFile = join(layout, 'index.json');
  const index = JSON.parse(await readFile(indexFile, 'utf8')) as LayoutIndex;
  const entry = (ref: string) => {
    const found = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === ref);
    if (!found) throw new Error(`no ${ref} in ${layout}`);
    return {
      mediaType: found.mediaType,
      digest: found.digest,
      size: found.size,
      platform: { os: 'linux', architecture: ref },
    };
  };
  const bytes = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry('arm64'), entry('amd64')] }),
  );
  const hex = createHash('sha256').update(bytes).digest('hex');
  await writeFile(join(layout, 'blobs', 'sha256', hex), bytes);
  index.manifests.push({
    mediaType: OCI_INDEX,
    digest: `sha256:${hex}`,
    size: bytes.length,
    annotations: { 'org.opencontainers.image.ref.name': tag },
  });
  await writeFile(indexFile, JSON.stringify(index));
}

async function inspect(ref: string, ...extra: string[]) {
  const { stdout } = await run(skopeo, ['inspect', '--tls-verify=false', ...extra, ref], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

/** Copies the image to an OCI layout with skopeo and unpacks it with umoci: its root file system and runtime config. */
async function unpack(ref: string, label: string) {
  const layout = join(box.root, `unpacked-${label}`);
  await run(skopeo, ['copy', '--src-tls-verify=false', ref, `oci:${layout}:img`]);
  const bundle = join(box.root, `bundle-out-${label}`);
  await run(umoci, ['unpack', '--rootless', '--image', `${layout}:img`, bundle]);
  const runtime = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8'));
  return { rootfs: join(bundle, 'rootfs'), runtime };
}

/** The repository root: `platform image build` run here finds the apps' default bundles. */
const repoRoot = join(import.meta.dirname, '..', '..', '..');
const started: ChildProcess[] = [];

/** Runs an unpacked image's entry file with the host's node; resolves once it says it listens. */
async function startEntry(entry: string, port: number): Promise<void> {
  const child = spawn(process.execPath, [entry], {
    cwd: box.root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: box.root,
      PORT: String(port),
      PROVISIONING_REGISTRY: registry.host,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  await new Promise<void>((done, fail) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) done();
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    child.once('exit', (code) => fail(new Error(`${entry} exited with ${code}: ${output}`)));
  });
}

const build = (args: string[], options: { cwd?: string } = {}) =>
  box.run(['platform', 'image', 'build', ...args], { env, ...options });

beforeAll(async () => {
  registry = await startDistribution();
  env = { PROVISIONING_REGISTRY: registry.host, SOURCE_DATE_EPOCH: '1700000000' };
  const layout = join(box.root, 'base-layout');
  await run(umoci, ['init', '--layout', layout]);
  await umociImage(layout, 'amd64', 'amd64');
  await umociImage(layout, 'arm64', 'arm64');
  await addIndex(layout, '20');
  const dest = (tag: string) => `docker://${registry.host}/library/node:${tag}`;
  await run(skopeo, ['copy', '--all', '--dest-tls-verify=false', `oci:${layout}:20`, dest('20')]);
  await run(skopeo, [
    'copy',
    '--format',
    'v2s2',
    '--dest-tls-verify=false',
    `oci:${layout}:amd64`,
    dest('20-docker'),
  ]);
  baseLayers = {
    amd64: (await inspect(`oci:${layout}:amd64`, '--raw')).layers.map((l: { digest: string }) => l.digest),
    arm64: (await inspect(`oci:${layout}:arm64`, '--raw')).layers.map((l: { digest: string }) => l.digest),
  };

  const ext = join(box.root, 'src', 'redis');
  expect((await box.run(['generate', 'extension', 'taskserv', 'redis', '--dir', ext])).code).toBe(0);
  jsonOk(await box.run(['oci', 'push', ext, 'redis', '1.0.0', '--json'], { env }));

  app = join(box.root, 'gateway-dist');
  await mkdir(join(app, 'public'), { recursive: true });
  await writeFile(join(app, 'index.js'), 'console.log("api gateway")\n');
  await writeFile(join(app, 'public', 'index.html'), '<!doctype html><title>cc</title>\n');
});
afterAll(async () => {
  for (const child of started) child.kill();
  await registry?.stop();
  box.cleanup();
});

describe('platform image build', () => {
  let pushed: { digest: string; destination: string };

  it('pushes the app on the linux/amd64 image of a base index; skopeo and umoci read it', async () => {
    const out = jsonOk(
      await build([
        'api-gateway',
        '--base',
        `${registry.host}/library/node:20`,
        '--app-dir',
        app,
        '--version',
        '1.2.0',
        '--push',
        '--json',
      ]),
    );
    pushed = out;
    const ref = `${registry.host}/provisioning-platform/api-gateway:v1.2.0`;
    expect(out.destination).toBe(ref);
    expect(out.platform).toBe('linux/amd64');
    expect(out.entrypoint).toEqual(['node', '/opt/provisioning/api-gateway/index.js']);

    const raw = await inspect(`docker://${ref}`, '--raw');
    expect(raw.mediaType).toBe(OCI_MANIFEST);
    expect(raw.layers.slice(0, -1).map((l: { digest: string }) => l.digest)).toEqual(baseLayers.amd64);
    expect(raw.layers.at(-1)).toMatchObject({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: out.layer.digest,
    });
    expect(raw.annotations['org.opencontainers.image.base.name']).toBe(`${registry.host}/library/node:20`);
    expect(`sha256:${createHash('sha256').update(JSON.stringify(raw)).digest('hex')}`).toBe(out.digest);

    const config = await inspect(`docker://${ref}`, '--config');
    expect(config.architecture).toBe('amd64');
    expect(config.config.Entrypoint).toEqual(['node', '/opt/provisioning/api-gateway/index.js']);
    expect(config.config.Cmd).toBeUndefined(); // the base's `node` would be an argument otherwise
    expect(config.config.Env).toEqual(['PATH=/usr/local/bin:/usr/bin:/bin', 'NODE_ENV=production']);
    expect(config.config.Labels['org.opencontainers.image.version']).toBe('1.2.0');
    expect(config.rootfs.diff_ids).toHaveLength(baseLayers.amd64.length + 1);
    expect(config.rootfs.diff_ids.at(-1)).toBe(out.layer.diff_id);

    const { rootfs, runtime } = await unpack(`docker://${ref}`, 'pushed');
    expect(await readFile(join(rootfs, 'usr', 'local', 'bin', 'node'), 'utf8')).toContain('fake node amd64');
    const installed = join(rootfs, 'opt', 'provisioning', 'api-gateway');
    expect(await readFile(join(installed, 'index.js'), 'utf8')).toBe('console.log("api gateway")\n');
    expect(existsSync(join(installed, 'public', 'index.html'))).toBe(true);
    expect(runtime.process.args).toEqual(['node', '/opt/provisioning/api-gateway/index.js']);
    expect(runtime.process.cwd).toBe('/opt/provisioning/api-gateway');
  });

  it('the same inputs give the same digest, pushed or written as a layout', async () => {
    const args = ['--base', `${registry.host}/library/node:20`, '--app-dir', app, '--version', 'v1.2.0'];
    const first = jsonOk(
      await build(['api-gateway', ...args, '--output', join(box.root, 'img-a'), '--json']),
    );
    const second = jsonOk(
      await build(['api-gateway', ...args, '--output', join(box.root, 'img-b'), '--json']),
    );
    expect(first.digest).toBe(pushed.digest);
    expect(second.digest).toBe(pushed.digest);
    expect(first.destination).toBe(`oci-layout:${join(box.root, 'img-a')}:v1.2.0`);
    const raw = await inspect(`oci:${join(box.root, 'img-a')}:v1.2.0`, '--raw');
    expect(`sha256:${createHash('sha256').update(JSON.stringify(raw)).digest('hex')}`).toBe(pushed.digest);
    // another app name or another bundle is another image
    const other = jsonOk(await build(['mcp-server', ...args, '--output', join(box.root, 'img-c'), '--json']));
    expect(other.digest).not.toBe(pushed.digest);
  });

  it('--platform picks another image of the index, and the human output names where it went', async () => {
    const dir = join(box.root, 'img-arm');
    const result = await build([
      'orchestrator',
      '--base',
      `${registry.host}/library/node:20`,
      '--app-dir',
      app,
      '--platform',
      'linux/arm64',
      '--output',
      dir,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`built orchestrator → oci-layout:${dir}:v3.5.0`);
    expect(result.stdout).toMatch(/platform\s+linux\/arm64/);
    const config = await inspect(`oci:${dir}:v3.5.0`, '--config');
    expect(config.architecture).toBe('arm64');
    const { rootfs } = await unpack(`oci:${dir}:v3.5.0`, 'arm');
    expect(await readFile(join(rootfs, 'usr', 'local', 'bin', 'node'), 'utf8')).toContain('fake node arm64');
    expect(existsSync(join(rootfs, 'opt', 'provisioning', 'orchestrator', 'index.js'))).toBe(true);
  });

  it('a Docker v2 base gives a Docker v2 image', async () => {
    const out = jsonOk(
      await build([
        'control-center',
        '--base',
        `${registry.host}/library/node:20-docker`,
        '--app-dir',
        app,
        '--version',
        '1.2.0',
        '--env',
        'PORT=8080',
        '--env',
        'NODE_ENV=staging',
        '--push',
        '--json',
      ]),
    );
    expect(out.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    const config = await inspect(`docker://${out.destination}`, '--config');
    expect(config.config.Env).toEqual(['PATH=/usr/local/bin:/usr/bin:/bin', 'NODE_ENV=staging', 'PORT=8080']);
    const raw = await inspect(`docker://${out.destination}`, '--raw');
    expect(raw.config.mediaType).toBe('application/vnd.docker.container.image.v1+json');
    expect(raw.layers.at(-1).mediaType).toBe('application/vnd.docker.image.rootfs.diff.tar.gzip');
    const { rootfs } = await unpack(`docker://${out.destination}`, 'docker');
    expect(existsSync(join(rootfs, 'opt', 'provisioning', 'control-center', 'public', 'index.html'))).toBe(
      true,
    );
  });

  it("a workspace's platform.images pins the pushed image by digest", async () => {
    const ws = box.workspace(
      'ws',
      `dependencies:
  extensions:
    source_type: "oci"
    oci:
      registry: "${registry.host}"
      namespace: "provisioning-extensions"
      tls_enabled: false
    modules:
      taskservs:
        - "oci://${registry.host}/provisioning-extensions/redis:1.0.0"
  platform:
    images:
      api_gateway: "${pushed.destination}"
`,
    );
    jsonOk(await box.run(['dep', 'resolve', '--workspace', ws, '--json'], { env }));
    const lock = await readFile(join(ws, 'config', 'provisioning.lock'), 'utf8');
    expect(lock).toContain(`reference: ${pushed.destination}`);
    expect(lock).toContain(`digest: ${pushed.digest}`);
  });

  describe('bad input: one line, exit status, nothing written', () => {
    const output = () => join(box.root, 'never');
    /** api-gateway from BASE with the test app into `output()`, as JSON: the failures below. */
    const buildRefused = (base: string, ...extra: string[]) =>
      build(['api-gateway', '--base', base, '--app-dir', app, ...extra, '--output', output(), '--json']);

    it('a base that does not exist is named', async () => {
      const base = `${registry.host}/library/node:18`;
      const message = expectRefusal(
        await build(['api-gateway', '--base', base, '--app-dir', app, '--output', output(), '--json']),
        'TAG_NOT_FOUND',
      );
      expect(message).toContain(`${registry.host}/library/node`);
      expect(message).toContain('18');
      expect(existsSync(output())).toBe(false);
    });

    it('the default bundle missing says how to build it', async () => {
      const result = await build(['api-gateway', '--base', `${registry.host}/library/node:20`, '--push'], {
        cwd: box.root,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `the api-gateway bundle ${join(box.root, 'apps', 'api-gateway', 'dist', 'image')} is missing`,
      );
      expect(result.stderr).toContain('--app-dir');
      const json = await build([
        'api-gateway',
        '--base',
        `${registry.host}/library/node:20`,
        '--push',
        '--json',
      ]);
      expectRefusal(json, 'APP_BUNDLE_MISSING');
    });

    it('a bundle without its entry file is refused', async () => {
      const message = expectRefusal(
        await buildRefused(`${registry.host}/library/node:20`, '--entry', 'server.js'),
        'APP_BUNDLE_MISSING',
      );
      expect(message).toContain('has no entry file server.js');
      expect(existsSync(output())).toBe(false);
    });

    it('an extension artifact is no base image', async () => {
      const message = expectRefusal(
        await buildRefused(`${registry.host}/provisioning-extensions/redis:1.0.0`),
        'BASE_IMAGE_INVALID',
      );
      expect(message).toContain(`${registry.host}/provisioning-extensions/redis:1.0.0`);
      expect(message).toContain('not a container image');
      expect(existsSync(output())).toBe(false);
    });

    it('a platform the index lacks lists the ones it has', async () => {
      const message = expectRefusal(
        await buildRefused(`${registry.host}/library/node:20`, '--platform', 'linux/s390x'),
        'BASE_IMAGE_INVALID',
      );
      expect(message).toContain('no linux/s390x image (it has linux/arm64, linux/amd64)');
    });

    it('a build that fails half-way (a base layer missing) leaves no output directory behind', async () => {
      const broken = join(box.root, 'broken-base');
      await cp(join(box.root, 'base-layout'), broken, { recursive: true });
      const [algorithm, hex] = (baseLayers.amd64[0] as string).split(':') as [string, string];
      await rm(join(broken, 'blobs', algorithm, hex));
      const result = await buildRefused(`oci-layout:${broken}:amd64`);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout).error.message).toContain(hex);
      expect(existsSync(output())).toBe(false);
      expect((await readdir(box.root)).filter((name) => name.startsWith('.never'))).toEqual([]);
    });

    it('a base whose config blob is missing names the blob, not a missing version', async () => {
      const broken = join(box.root, 'broken-config');
      await cp(join(box.root, 'base-layout'), broken, { recursive: true });
      const manifest = await inspect(`oci:${broken}:amd64`, '--raw');
      const [algorithm, hex] = (manifest.config.digest as string).split(':') as [string, string];
      await rm(join(broken, 'blobs', algorithm, hex));
      const message = expectRefusal(await buildRefused(`oci-layout:${broken}:amd64`), 'BLOB_NOT_FOUND');
      expect(message).toContain(hex);
      expect(existsSync(output())).toBe(false);
    });

    it('--output into an existing directory that is no image layout is refused; a layout gets one more image', async () => {
      const message = expectRefusal(
        await build([
          'api-gateway',
          '--base',
          `${registry.host}/library/node:20`,
          '--app-dir',
          app,
          '--output',
          join(box.root, 'src'),
          '--json',
        ]),
        'FLAG_INVALID',
        2,
      );
      expect(message).toContain('exists and is not an OCI image layout');
      const layout = join(box.root, 'img-a');
      jsonOk(
        await build([
          'mcp-server',
          '--base',
          `${registry.host}/library/node:20`,
          '--app-dir',
          app,
          '--version',
          '2.0.0',
          '--output',
          layout,
          '--json',
        ]),
      );
      const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as LayoutIndex;
      const tags = index.manifests.map((m) => m.annotations?.['org.opencontainers.image.ref.name']);
      expect(tags.sort()).toEqual(['v1.2.0', 'v2.0.0']);
    });

    it('neither --output nor --push, or a bad version, is a usage error', async () => {
      const base = ['--base', `${registry.host}/library/node:20`, '--app-dir', app];
      expectRefusal(await build(['api-gateway', ...base, '--json']), 'FLAGS_CONFLICT', 2);
      expectRefusal(
        await build(['api-gateway', ...base, '--version', 'latest', '--push', '--json']),
        'FLAG_INVALID',
        2,
      );
    });
  });
});

describe('platform image build: the default bundles run with nothing but node', () => {
  const buildDefault = async (name: string) => {
    const out = jsonOk(
      await build(
        [name, '--base', `${registry.host}/library/node:20`, '--version', '0.1.0', '--push', '--json'],
        { cwd: repoRoot },
      ),
    );
    expect(out.entrypoint).toEqual(['node', `/opt/provisioning/${name}/index.js`]);
    return unpack(`docker://${out.destination}`, `run-${name}`);
  };

  it('api-gateway: the unpacked image answers /api/v1/health and serves the control-center UI', async () => {
    const { rootfs, runtime } = await buildDefault('api-gateway');
    const entry = join(rootfs, 'opt', 'provisioning', 'api-gateway', 'index.js');
    expect(runtime.process.args).toEqual(['node', '/opt/provisioning/api-gateway/index.js']);
    // only the bundle is in the image: no node_modules next to it or above it
    expect(existsSync(join(rootfs, 'opt', 'provisioning', 'api-gateway', 'node_modules'))).toBe(false);
    const port = await freePort();
    await startEntry(entry, port);
    const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ui = await fetch(`http://127.0.0.1:${port}/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/<!doctype html>/i);
  });

  it('mcp-server: the unpacked image answers an MCP initialize over streamable HTTP', async () => {
    const { rootfs } = await buildDefault('mcp-server');
    const port = await freePort();
    await startEntry(join(rootfs, 'opt', 'provisioning', 'mcp-server', 'index.js'), port);
    const response = await fetch(`http://127.0.0.1:${port}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-03-26',
          capabilities: {},
          clientInfo: { name: 'test', version: '1' },
        },
      }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('"serverInfo":{"name":"provisioning"');
  });
});
