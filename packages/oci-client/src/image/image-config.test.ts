import { describe, expect, it } from 'vitest';
import { deriveImageConfig, type ImageConfig, parseImageConfig } from './image-config.js';
import { parsePlatform, selectPlatform } from './platform.js';

const base: ImageConfig = {
  architecture: 'amd64',
  os: 'linux',
  created: '2024-01-01T00:00:00Z',
  config: { Env: ['PATH=/usr/bin', 'NODE_ENV=development'], Cmd: ['node'], Labels: { z: '1', a: '2' } },
  rootfs: { type: 'layers', diff_ids: ['sha256:aa'] },
  history: [{ created_by: 'base' }],
};
const changes = {
  diffId: 'sha256:bb',
  entrypoint: ['node', '/opt/provisioning/app/index.js'],
  env: ['NODE_ENV=test', 'PORT=1', 'NODE_ENV=production'],
  labels: { m: '3' },
  workingDir: '/opt/provisioning/app',
  created: '1970-01-01T00:00:00Z',
  createdBy: 'build app',
};

describe('deriveImageConfig', () => {
  it('appends the diff_id and a history entry, sets the entrypoint and drops Cmd, merges Env and Labels', () => {
    const derived = deriveImageConfig(base, changes);
    expect(derived.rootfs.diff_ids).toEqual(['sha256:aa', 'sha256:bb']);
    expect(derived.history).toEqual([
      { created_by: 'base' },
      { created: changes.created, created_by: 'build app' },
    ]);
    expect(derived.config?.Entrypoint).toEqual(changes.entrypoint);
    expect(derived.config?.Cmd).toBeUndefined();
    expect(derived.config?.Env).toEqual(['PATH=/usr/bin', 'NODE_ENV=production', 'PORT=1']);
    expect(Object.keys(derived.config?.Labels ?? {})).toEqual(['a', 'm', 'z']);
    expect(derived.created).toBe(changes.created);
    expect(base.rootfs.diff_ids).toEqual(['sha256:aa']); // the base is not changed
  });

  it('adds no history to a base that keeps none (its entries would no longer match the layers)', () => {
    const { history: _, ...bare } = base;
    expect(deriveImageConfig(bare, changes).history).toBeUndefined();
  });
});

describe('parseImageConfig', () => {
  it('refuses a config whose diff_ids do not match the layers, or that is no image config', () => {
    const bytes = Buffer.from(JSON.stringify(base));
    expect(parseImageConfig(bytes, 1, 'b').architecture).toBe('amd64');
    expect(() => parseImageConfig(bytes, 2, 'b')).toThrow(/lists 1 diff_ids for 2 layers/);
    expect(() => parseImageConfig(Buffer.from('{"name":"redis"}'), 1, 'b')).toThrow(/no rootfs.diff_ids/);
  });
});

describe('platforms', () => {
  const entry = (architecture: string, variant?: string) => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: `sha256:${architecture}${variant ?? ''}`,
    size: 1,
    platform: { os: 'linux', architecture, ...(variant ? { variant } : {}) },
  });
  it('picks the exact variant first, accepts an unnamed one, and parses OS/ARCH[/VARIANT]', () => {
    const list = [entry('arm', 'v6'), entry('arm', 'v7'), entry('arm64'), entry('amd64')];
    expect(selectPlatform(list, parsePlatform('linux/arm/v7'))?.digest).toBe('sha256:armv7');
    expect(selectPlatform(list, parsePlatform('linux/arm64/v8'))?.digest).toBe('sha256:arm64');
    expect(selectPlatform(list, parsePlatform('linux/amd64'))?.digest).toBe('sha256:amd64');
    expect(selectPlatform(list, parsePlatform('linux/s390x'))).toBeUndefined();
    expect(() => parsePlatform('linux')).toThrow(/not OS\/ARCH/);
    expect(() => parsePlatform('Linux/AMD64/x/y')).toThrow(/not OS\/ARCH/);
  });
});
