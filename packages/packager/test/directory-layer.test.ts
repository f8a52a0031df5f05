/**
 * An app bundle packed as one image layer: GNU tar reads it (names under the prefix, modes, owners,
 * mtime), its diff_id is the digest of the uncompressed tar, and the same tree gives the same bytes.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packDirectoryLayer } from '../src/pack/pack-directory-layer.js';
import { rejection } from './support/rejection.js';

let tmp: TempDir;
let app: string;
let n = 0;
const out = () => path.join(tmp.path, `layer-${++n}.tar.gz`);
const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

beforeAll(async () => {
  tmp = await tempDir('packager-layer-');
  app = path.join(tmp.path, 'app');
  await mkdir(path.join(app, 'public', 'assets'), { recursive: true });
  await writeFile(path.join(app, 'index.js'), 'console.log("gateway")\n');
  await writeFile(path.join(app, 'public', 'assets', 'main.css'), 'body{}\n');
  await writeFile(path.join(app, 'bin.sh'), '#!/bin/sh\n');
  await chmod(path.join(app, 'bin.sh'), 0o700);
});
afterAll(async () => {
  await tmp.remove();
});

describe('packDirectoryLayer', () => {
  it('puts the tree under the prefix with fixed owners, modes and mtime; diffId hashes the tar', async () => {
    const file = out();
    const layer = await packDirectoryLayer(app, {
      prefix: '/opt/provisioning/api-gateway/',
      outFile: file,
      sourceDateEpoch: 1_700_000_000,
    });
    expect(layer.files).toBe(3);
    const bytes = await readFile(file);
    expect(layer.digest).toBe(sha256(bytes));
    expect(layer.size).toBe(bytes.length);
    expect(layer.diffId).toBe(sha256(gunzipSync(bytes)));
    const listing = execFileSync('tar', ['-tvzf', file, '--numeric-owner', '--full-time'], {
      encoding: 'utf8',
      env: { TZ: 'UTC', PATH: process.env.PATH ?? '' },
    })
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/));
    const rows = listing.map(([mode, owner, , date, time, name]) => ({
      mode,
      owner,
      when: `${date} ${time}`,
      name,
    }));
    expect(rows.map((r) => r.name)).toEqual([
      'opt/',
      'opt/provisioning/',
      'opt/provisioning/api-gateway/',
      'opt/provisioning/api-gateway/bin.sh',
      'opt/provisioning/api-gateway/index.js',
      'opt/provisioning/api-gateway/public/',
      'opt/provisioning/api-gateway/public/assets/',
      'opt/provisioning/api-gateway/public/assets/main.css',
    ]);
    expect(new Set(rows.map((r) => r.owner))).toEqual(new Set(['0/0']));
    expect(new Set(rows.map((r) => r.when))).toEqual(new Set(['2023-11-14 22:13:20']));
    const mode = (name: string) => rows.find((r) => r.name === name)?.mode;
    expect(mode('opt/provisioning/api-gateway/bin.sh')).toBe('-rwxr-xr-x');
    expect(mode('opt/provisioning/api-gateway/index.js')).toBe('-rw-r--r--');
    expect(mode('opt/')).toBe('drwxr-xr-x');
  });

  it('gives the same bytes for the same tree, whatever the files’ own times', async () => {
    const first = await packDirectoryLayer(app, { prefix: 'opt/provisioning/x', outFile: out(), env: {} });
    await utimes(path.join(app, 'index.js'), new Date(), new Date(2001, 1, 1));
    const second = await packDirectoryLayer(app, { prefix: 'opt/provisioning/x', outFile: out(), env: {} });
    expect(second).toEqual(first);
    const other = await packDirectoryLayer(app, { prefix: 'opt/provisioning/y', outFile: out(), env: {} });
    expect(other.digest).not.toBe(first.digest);
  });

  it('refuses a symbolic link, naming it', async () => {
    const dir = path.join(tmp.path, 'with-link');
    await mkdir(dir);
    await writeFile(path.join(dir, 'index.js'), '');
    await symlink('/etc/passwd', path.join(dir, 'passwd'));
    const error = await rejection(packDirectoryLayer(dir, { prefix: 'opt/x', outFile: out() }));
    expect(error).toMatchObject({ code: 'LAYER_SOURCE_INVALID' });
    expect(error.message).toContain('passwd: symbolic link not allowed');
  });

  it('refuses a prefix that climbs out and a missing directory', async () => {
    await expect(packDirectoryLayer(app, { prefix: 'opt/../etc', outFile: out() })).rejects.toMatchObject({
      code: 'LAYER_SOURCE_INVALID',
    });
    await expect(
      packDirectoryLayer(path.join(tmp.path, 'nope'), { prefix: 'opt/x', outFile: out() }),
    ).rejects.toMatchObject({ code: 'LAYER_SOURCE_INVALID', kind: 'input' });
  });
});
