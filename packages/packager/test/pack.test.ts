import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, open, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createGunzip, gunzipSync } from 'node:zlib';
import { MediaTypes, ProvisioningError } from '@provisioning/schemas';
import { type TempDir, tempDir } from '@provisioning/testkit';
import * as tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packExtension } from '../src/pack/pack-extension.js';
import { scaffoldExtension } from '../src/scaffold/scaffold-extension.js';
import { unpackExtension } from '../src/unpack/unpack-extension.js';
import { copyTree, sampleExtensions } from './support/extensions.js';
import { rejection } from './support/rejection.js';

let tmp: TempDir;
let source: string;
let n = 0;
const noEnv = {};

beforeAll(async () => {
  tmp = await tempDir('packager-pack-');
  const sample = sampleExtensions().find((s) => s.name === 'redis') ?? sampleExtensions()[0];
  source = sample
    ? await copyTree(sample.dir, path.join(tmp.path, 'source', sample.name))
    : await scaffoldExtension('taskserv', 'redis', path.join(tmp.path, 'source', 'redis'));
});
afterAll(async () => {
  await tmp.remove();
});

function scratch(label: string): string {
  n += 1;
  return path.join(tmp.path, `${label}-${n}`);
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

interface Member {
  name: string;
  type: string | null;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtime: number;
  size: number;
  content: Buffer;
}

async function readMembers(file: string): Promise<Member[]> {
  const members: Member[] = [];
  const extract = tar.extract();
  createReadStream(file)
    .pipe(createGunzip())
    .pipe(extract as unknown as NodeJS.WritableStream);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    const h = entry.header;
    members.push({
      name: h.name,
      type: h.type,
      mode: h.mode,
      uid: h.uid,
      gid: h.gid,
      uname: h.uname,
      gname: h.gname,
      mtime: h.mtime.getTime() / 1000,
      size: h.size,
      content: Buffer.concat(chunks),
    });
  }
  return members;
}

describe('packExtension is reproducible', () => {
  it('two copies in different places, with different mtimes and permissions, pack to identical bytes', async () => {
    const copyA = await copyTree(source, path.join(scratch('copy-a'), path.basename(source)));
    const copyB = await copyTree(
      source,
      path.join(scratch('copy-b'), 'deeper', 'still', path.basename(source)),
    );
    // Disturb everything that must not matter: timestamps, group/other bits, umask-like modes.
    for (const file of ['manifest.yaml', 'defaults.yaml', 'docs/README.md']) {
      await utimes(
        path.join(copyB, file),
        new Date('2001-02-03T04:05:06Z'),
        new Date('2001-02-03T04:05:06Z'),
      );
      await chmod(path.join(copyB, file), 0o600);
    }
    const a = await packExtension(copyA, { outputDir: scratch('out-a'), env: noEnv });
    const b = await packExtension(copyB, { outputDir: scratch('out-b'), env: noEnv });
    expect(await sha256File(a.tarballPath)).toBe(await sha256File(b.tarballPath));
    expect(a.layer.descriptor.digest).toBe(await sha256File(a.tarballPath));
    expect(a.layer.descriptor.size).toBe((await stat(a.tarballPath)).size);
    expect(b.layer.descriptor).toEqual(a.layer.descriptor);
    expect(Buffer.from(b.imageManifestBytes).equals(Buffer.from(a.imageManifestBytes))).toBe(true);
    expect(b.imageManifestDescriptor.digest).toBe(a.imageManifestDescriptor.digest);
    expect(path.basename(a.tarballPath)).toBe(`${a.manifest.name}-${a.manifest.version}.tar.gz`);
  });

  it('SOURCE_DATE_EPOCH sets the mtime (and so the digest); the option wins over the environment', async () => {
    const zero = await packExtension(source, { outputDir: scratch('epoch'), env: noEnv });
    const fromEnv = await packExtension(source, {
      outputDir: scratch('epoch'),
      env: { SOURCE_DATE_EPOCH: '1700000000' },
    });
    const fromOption = await packExtension(source, {
      outputDir: scratch('epoch'),
      sourceDateEpoch: 1700000000,
      env: { SOURCE_DATE_EPOCH: '5' },
    });
    expect(fromEnv.layer.descriptor.digest).not.toBe(zero.layer.descriptor.digest);
    expect(fromOption.layer.descriptor.digest).toBe(fromEnv.layer.descriptor.digest);
    expect((await readMembers(fromEnv.tarballPath)).every((m) => m.mtime === 1700000000)).toBe(true);
    const bad = await rejection(
      packExtension(source, { outputDir: scratch('epoch'), env: { SOURCE_DATE_EPOCH: 'yesterday' } }),
    );
    expect((bad as ProvisioningError).code).toBe('SOURCE_DATE_EPOCH_INVALID');
  });

  it('writes sorted ustar members with fixed owner, mtime and normalised modes, plus oci-manifest.json', async () => {
    const copy = await copyTree(source, path.join(scratch('modes'), path.basename(source)));
    await chmod(path.join(copy, 'scripts', 'install.nu'), 0o700);
    await chmod(path.join(copy, 'docs', 'README.md'), 0o666);
    const packed = await packExtension(copy, { outputDir: scratch('out'), env: noEnv });
    const members = await readMembers(packed.tarballPath);
    const names = members.map((m) => m.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('kcl/');
    expect(names).toContain('oci-manifest.json');
    expect(new Set(members.map((m) => m.type))).toEqual(new Set(['file', 'directory']));
    for (const m of members) {
      expect([m.uid, m.gid, m.uname, m.gname, m.mtime]).toEqual([0, 0, '', '', 0]);
      if (m.type === 'directory') expect(m.mode).toBe(0o755);
    }
    expect(members.find((m) => m.name === 'scripts/install.nu')?.mode).toBe(0o755);
    expect(members.find((m) => m.name === 'docs/README.md')?.mode).toBe(0o644);
    expect(members.find((m) => m.name === 'manifest.yaml')?.mode).toBe(0o644);

    const listed = JSON.parse(members.find((m) => m.name === 'oci-manifest.json')!.content.toString('utf8'));
    expect(Object.keys(listed)).toEqual(['name', 'version', 'type', 'files']);
    expect(listed.name).toBe(packed.manifest.name);
    const files = members.filter((m) => m.type === 'file' && m.name !== 'oci-manifest.json');
    expect(listed.files).toEqual(
      files.map((m) => ({
        path: m.name,
        size: m.size,
        sha256: createHash('sha256').update(m.content).digest('hex'),
      })),
    );

    // gzip header: no mtime, OS = Unix whatever the platform.
    const handle = await open(packed.tarballPath, 'r');
    const header = Buffer.alloc(10);
    await handle.read(header, 0, 10, 0);
    await handle.close();
    expect([...header.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]);
    expect(header.readUInt32LE(4)).toBe(0);
    expect(header[9]).toBe(3);

    // GNU tar reads it and sees the same listing.
    const gnu = execFileSync('tar', ['-tzvf', packed.tarballPath], { encoding: 'utf8' });
    expect(gnu).toMatch(/^-rwxr-xr-x 0\/0 .* scripts\/install\.nu$/m);
    expect(gnu).toMatch(/^drwxr-xr-x 0\/0 .* 1970-01-01 00:00 kcl\/$/m);
  });

  it('handles Unicode and long paths (pax path records without times, ustar prefix) reproducibly', async () => {
    const longDir = `docs/${'nested-directory-name/'.repeat(5)}`;
    const copies: string[] = [];
    for (const label of ['uni-a', 'uni-b']) {
      const copy = await copyTree(source, path.join(scratch(label), path.basename(source)));
      await mkdir(path.join(copy, longDir), { recursive: true });
      await writeFile(path.join(copy, 'docs', 'guía-ñandú.md'), 'hola\n');
      await writeFile(
        path.join(copy, longDir, 'a-file-with-a-rather-long-name-to-pass-one-hundred-bytes.md'),
        'deep\n',
      );
      copies.push(copy);
    }
    const a = await packExtension(copies[0]!, { outputDir: scratch('uni-out'), env: noEnv });
    const b = await packExtension(copies[1]!, { outputDir: scratch('uni-out'), env: noEnv });
    expect(b.layer.descriptor.digest).toBe(a.layer.descriptor.digest);
    const members = await readMembers(a.tarballPath);
    expect(members.map((m) => m.name)).toContain('docs/guía-ñandú.md');
    expect(members.every((m) => m.mtime === 0)).toBe(true);
    const rawTar = gunzipSync(await readFile(a.tarballPath)).toString('latin1');
    expect(rawTar).toContain(' path=docs/gu'); // a pax record exists for the Unicode name…
    expect(rawTar).not.toMatch(/\d+ (mtime|atime|ctime)=/); // …and carries no time
    const gnu = execFileSync('tar', ['-tzf', a.tarballPath], { encoding: 'utf8' });
    expect(gnu).toContain(`${longDir}a-file-with-a-rather-long-name-to-pass-one-hundred-bytes.md`);
    const target = path.join(scratch('uni-unpacked'), 'ext');
    await unpackExtension(createReadStream(a.tarballPath), target, {
      expectedDigest: a.layer.descriptor.digest,
    });
    expect(await readFile(path.join(target, 'docs', 'guía-ñandú.md'), 'utf8')).toBe('hola\n');
  });

  it('round-trips through unpackExtension with the layer digest', async () => {
    const packed = await packExtension(source, { outputDir: scratch('rt'), env: noEnv });
    const target = path.join(scratch('unpacked'), 'ext');
    const result = await unpackExtension(createReadStream(packed.tarballPath), target, {
      expectedDigest: packed.layer.descriptor.digest,
      expectedSize: packed.layer.descriptor.size,
    });
    expect(result.ociManifest.name).toBe(packed.manifest.name);
    for (const file of result.ociManifest.files) {
      expect(await readFile(path.join(target, file.path))).toEqual(
        await readFile(path.join(source, file.path)),
      );
    }
  });
  it('round-trips small files (written at once) and large ones (streamed) with their modes', async () => {
    const dir = await copyTree(source, path.join(scratch('sizes-src'), 'redis'));
    const big = Buffer.alloc(300 * 1024 + 7);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
    await writeFile(path.join(dir, 'docs', 'big.bin'), big);
    await writeFile(path.join(dir, 'docs', 'edge.bin'), big.subarray(0, 256 * 1024));
    const packed = await packExtension(dir, { outputDir: scratch('sizes'), env: noEnv });
    const target = path.join(scratch('sizes-unpacked'), 'ext');
    const result = await unpackExtension(createReadStream(packed.tarballPath), target, {
      expectedDigest: packed.layer.descriptor.digest,
    });
    expect(await readFile(path.join(target, 'docs', 'big.bin'))).toEqual(big);
    expect(await readFile(path.join(target, 'docs', 'edge.bin'))).toEqual(big.subarray(0, 256 * 1024));
    const script = result.ociManifest.files.find((f) => f.path.endsWith('.nu'));
    expect(script).toBeDefined();
    const mode = (await stat(path.join(target, script!.path))).mode & 0o777;
    expect(mode & 0o444).toBe(0o444);
    expect(await readFile(path.join(target, 'manifest.yaml'))).toEqual(
      await readFile(path.join(dir, 'manifest.yaml')),
    );
  });
});

describe('packExtension builds the OCI artifact pieces', () => {
  it('config = canonical manifest JSON, one titled layer, an OCI 1.1 manifest with artifactType', async () => {
    const packed = await packExtension(source, { outputDir: scratch('oci'), env: noEnv });
    const m = packed.manifest;
    const config = JSON.parse(Buffer.from(packed.config.bytes).toString('utf8'));
    expect(config.name).toBe(m.name);
    expect(Object.keys(config)).toEqual([...Object.keys(config)].sort());
    expect(packed.config.descriptor.mediaType).toBe(MediaTypes.extensionConfig);
    expect(packed.config.descriptor.digest).toBe(
      `sha256:${createHash('sha256').update(packed.config.bytes).digest('hex')}`,
    );
    const manifest = JSON.parse(Buffer.from(packed.imageManifestBytes).toString('utf8'));
    expect(manifest).toEqual(packed.imageManifest);
    expect(manifest.schemaVersion).toBe(2);
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(manifest.artifactType).toBe('application/vnd.provisioning.extension.v1');
    expect(manifest.layers).toEqual([
      {
        mediaType: 'application/vnd.provisioning.extension.content.v1.tar+gzip',
        digest: packed.layer.descriptor.digest,
        size: packed.layer.descriptor.size,
        annotations: { 'org.opencontainers.image.title': `${m.name}-${m.version}.tar.gz` },
      },
    ]);
    expect(manifest.annotations['org.opencontainers.image.title']).toBe(m.name);
    expect(manifest.annotations['org.opencontainers.image.version']).toBe(m.version);
    expect(manifest.annotations['dev.provisioning.extension.type']).toBe(m.type);
    expect(manifest.annotations['org.opencontainers.image.created']).toBeUndefined();
    expect(packed.imageManifestDescriptor.digest).toBe(
      `sha256:${createHash('sha256').update(packed.imageManifestBytes).digest('hex')}`,
    );
  });

  it('adds org.opencontainers.image.created only when asked', async () => {
    const packed = await packExtension(source, {
      outputDir: scratch('created'),
      created: new Date('2026-01-02T03:04:05Z'),
      env: noEnv,
    });
    expect(packed.imageManifest.annotations?.['org.opencontainers.image.created']).toBe(
      '2026-01-02T03:04:05.000Z',
    );
  });
});

describe('packExtension refuses', () => {
  it('an invalid extension, listing every problem, and writes nothing', async () => {
    const copy = await copyTree(source, path.join(scratch('invalid'), path.basename(source)));
    await writeFile(path.join(copy, 'defaults.yaml'), 'just a string\n');
    await writeFile(path.join(copy, 'templates', 'x.j2'), '{{ unclosed\n');
    const out = scratch('invalid-out');
    const error = await rejection(packExtension(copy, { outputDir: out, env: noEnv }));
    expect(error).toBeInstanceOf(ProvisioningError);
    expect(error.code).toBe('EXTENSION_INVALID');
    expect(error.message).toMatch(
      /is not valid \(2 problems\):\n {2}defaults\.yaml: must be a mapping.*\n {2}templates\/x\.j2/,
    );
    expect((error.details.problems as unknown[]).length).toBe(2);
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });

  it('an output directory inside the extension', async () => {
    const copy = await copyTree(source, path.join(scratch('inside'), path.basename(source)));
    const error = await rejection(packExtension(copy, { outputDir: path.join(copy, 'dist'), env: noEnv }));
    expect(error.code).toBe('OUTPUT_INSIDE_EXTENSION');
  });
});

describe('packExtension streams', () => {
  it('packs a file far larger than the memory it uses', async () => {
    const mib = 96;
    const copy = await copyTree(source, path.join(scratch('big'), path.basename(source)));
    await mkdir(path.join(copy, 'docs', 'assets'), { recursive: true });
    const big = await open(path.join(copy, 'docs', 'assets', 'big.log'), 'w');
    for (let i = 0; i < mib; i++) {
      // Log-like text: compresses like real content, so the test stays quick.
      const lines = Array.from(
        { length: 16384 },
        (_, j) => `${String(i * 16384 + j).padStart(10, '0')} event=${(i * 31 + j * 7) % 977} ok\n`,
      );
      await big.write(
        Buffer.from(
          lines
            .join('')
            .padEnd(1024 * 1024, '#')
            .slice(0, 1024 * 1024),
        ),
      );
    }
    await big.close();
    const baseline = process.memoryUsage();
    let peak = 0;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peak = Math.max(peak, now.heapUsed + now.arrayBuffers - baseline.heapUsed - baseline.arrayBuffers);
    }, 5);
    const started = performance.now();
    const packed = await packExtension(copy, { outputDir: scratch('big-out'), env: noEnv });
    const elapsed = performance.now() - started;
    clearInterval(sampler);
    console.log(
      `packed ${mib} MiB in ${elapsed.toFixed(0)} ms to ${(packed.layer.descriptor.size / 1024 / 1024).toFixed(1)} MiB; ` +
        `peak heap+buffers growth ${(peak / 1024 / 1024).toFixed(1)} MiB`,
    );
    expect(packed.layer.descriptor.size).toBeGreaterThan(0);
    // Garbage is collected lazily, so allow slack, but far below the file size.
    expect(peak).toBeLessThan((mib / 2) * 1024 * 1024);
  });
});
