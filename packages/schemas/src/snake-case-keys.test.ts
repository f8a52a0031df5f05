import { describe, expect, it } from 'vitest';
import { snakeCaseKey, snakeCaseKeys } from './snake-case-keys.js';

describe('--json keys', () => {
  it('turns camelCase into snake_case and leaves snake_case alone', () => {
    expect(snakeCaseKey('layerDigest')).toBe('layer_digest');
    expect(snakeCaseKey('totalSize')).toBe('total_size');
    expect(snakeCaseKey('sha256Digest')).toBe('sha256_digest');
    expect(snakeCaseKey('layer_digest')).toBe('layer_digest');
    expect(snakeCaseKey('org.opencontainers.image.title')).toBe('org.opencontainers.image.title');
  });

  it('keeps the OCI spec spelling and data maps, and converts nested results', () => {
    const out = snakeCaseKeys({
      mediaType: 'm',
      artifactType: 'a',
      layers: [{ mediaType: 'l', layerSize: 3 }],
      annotations: { myKey: 'v' },
      settings: { maxMemory: 1 },
      lock: { byType: { taskserv: 2 } },
      created: new Date(0),
    });
    expect(out).toEqual({
      mediaType: 'm',
      artifactType: 'a',
      layers: [{ mediaType: 'l', layer_size: 3 }],
      annotations: { myKey: 'v' },
      settings: { maxMemory: 1 },
      lock: { by_type: { taskserv: 2 } },
      created: new Date(0),
    });
  });

  it('copies the values of extra keep keys unchanged', () => {
    expect(snakeCaseKeys({ latestVersion: '1', manifest: { minCore: '3' } }, { keep: ['manifest'] })).toEqual(
      {
        latest_version: '1',
        manifest: { minCore: '3' },
      },
    );
  });
});
