import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningRegistryServer, startRegistryServer } from '@provisioning/oci-client';
import { startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EffectiveConfig, Sourced } from '../config/effective-config.js';
import { applyEmbeddedDefault, localRegistryHost } from './embedded-default.js';
import { canListen, type ProbeResult, probeRegistry, registryAnswers } from './health.js';
import type { LocalRegistryState } from './state-file.js';

const built = (value: string): Sourced<string> => ({ value, source: 'default', origin: 'built-in' });

function config(registry: string, type: 'oci' | 'oci-layout' = 'oci'): EffectiveConfig {
  return {
    registry: { value: registry, source: 'workspace', origin: '/ws/config/provisioning.yaml' },
    registryType: { value: type, source: 'workspace', origin: '/ws/config/provisioning.yaml' },
    layoutPath: built('/home/u/.provisioning/oci-registry'),
  } as unknown as EffectiveConfig;
}

describe('localRegistryHost', () => {
  it('recognises the loopback hosts on port 5000 only', () => {
    expect(localRegistryHost('localhost:5000')).toBe('localhost');
    expect(localRegistryHost('127.0.0.1:5000')).toBe('127.0.0.1');
    expect(localRegistryHost('[::1]:5000')).toBe('::1');
    expect(localRegistryHost('localhost:5001')).toBeUndefined();
    expect(localRegistryHost('localhost')).toBeUndefined();
    expect(localRegistryHost('registry.example.com:5000')).toBeUndefined();
    expect(localRegistryHost('10.0.0.1:5000')).toBeUndefined();
  });
});

describe('applyEmbeddedDefault', () => {
  it('switches the silent local registry to its embedded storage and says why', async () => {
    const probed: string[] = [];
    const out = await applyEmbeddedDefault(config('localhost:5000'), {
      probe: async (host, port) => {
        probed.push(`${host}:${port}`);
        return 'refused';
      },
    });
    expect(probed).toEqual(['localhost:5000']);
    expect(out.registryType).toEqual({
      value: 'oci-layout',
      source: 'default',
      origin: 'built-in: embedded storage, no registry answers on localhost:5000',
    });
    expect(out.registry.value).toBe('localhost:5000');
    expect(out.layoutPath.value).toBe('/home/u/.provisioning/oci-registry');
  });

  it('keeps a local registry that answers, or a listener too slow to tell', async () => {
    const input = config('127.0.0.1:5000');
    expect(await applyEmbeddedDefault(input, { probe: async () => 'registry' })).toBe(input);
    expect(await applyEmbeddedDefault(input, { probe: async () => 'timeout' })).toBe(input);
    const other = await applyEmbeddedDefault(input, { probe: async () => 'not-a-registry' });
    expect(other.registryType.value).toBe('oci-layout');
  });

  it('never probes or replaces other registries and ports, nor an explicit oci-layout', async () => {
    const never = async (): Promise<ProbeResult> => {
      throw new Error('must not probe');
    };
    for (const registry of ['localhost:5001', 'ghcr.io', '127.0.0.1:443']) {
      const input = config(registry);
      expect(await applyEmbeddedDefault(input, { probe: never })).toBe(input);
    }
    const layout = config('localhost:5000', 'oci-layout');
    expect(await applyEmbeddedDefault(layout, { probe: never })).toBe(layout);
  });
});

describe('applyEmbeddedDefault with a registry recorded by oci-registry start', () => {
  const recorded = (port: number): LocalRegistryState => ({
    backend: 'builtin',
    pid: 4242,
    host: '127.0.0.1',
    port,
    endpoint: `127.0.0.1:${port}`,
    storage: '/home/u/.provisioning/oci-registry',
    sharesEmbeddedStorage: true,
    log: '/home/u/.provisioning/logs/oci-registry.log',
    command: ['node', 'main.js'],
    startedAt: '2026-01-01T00:00:00.000Z',
  });

  it('a dead recorded registry fails the command instead of becoming the embedded storage', async () => {
    for (const [registry, port] of [
      ['localhost:5000', 5000],
      ['127.0.0.1:5931', 5931],
      ['localhost:5931', 5931],
    ] as const) {
      const probed: string[] = [];
      await expect(
        applyEmbeddedDefault(config(registry), {
          state: recorded(port),
          probe: async (host, p) => {
            probed.push(`${host}:${p}`);
            return 'refused';
          },
        }),
      ).rejects.toMatchObject({
        code: 'REGISTRY_NOT_RUNNING',
        kind: 'network',
        message: `the builtin registry that \`oci-registry start\` recorded on 127.0.0.1:${port} (pid 4242) no longer answers`,
        hint: expect.stringContaining('`provisioning oci-registry stop` to go back to the embedded storage'),
      });
      // probed where it was started, not where a name might resolve first
      expect(probed).toEqual([`127.0.0.1:${port}`]);
    }
  });

  it('a live recorded registry is used; other ports keep the plain rule; repair commands tolerate a dead one', async () => {
    const input = config('127.0.0.1:5931');
    expect(await applyEmbeddedDefault(input, { state: recorded(5931), probe: async () => 'registry' })).toBe(
      input,
    );
    // recorded on 5931, configured 5000 with nothing there: the embedded storage as before
    const other = await applyEmbeddedDefault(config('localhost:5000'), {
      state: recorded(5931),
      probe: async () => 'refused',
    });
    expect(other.registryType.value).toBe('oci-layout');
    const tolerated = await applyEmbeddedDefault(config('localhost:5000'), {
      state: recorded(5000),
      tolerateDeadRecord: true,
      probe: async () => 'refused',
    });
    expect(tolerated.registryType.value).toBe('oci-layout');
  });
});

describe('registryAnswers (the default probe)', () => {
  let root: string;
  let registry: RunningRegistryServer;
  let forbidden: Server;
  let forbiddenPort: number;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'embedded-default-'));
    registry = await startRegistryServer({ root, port: 0 });
    // like macOS's AirPlay receiver on :5000: an HTTP server that is not a registry
    forbidden = createServer((_req, res) => res.writeHead(403).end('forbidden'));
    await new Promise<void>((resolve) => forbidden.listen(0, '127.0.0.1', resolve));
    forbiddenPort = (forbidden.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await registry.close();
    await new Promise((resolve) => forbidden.close(resolve));
    await rm(root, { recursive: true, force: true });
  });

  it('is true for a registry, false for a non-registry listener and for a closed port', async () => {
    expect(await registryAnswers('127.0.0.1', registry.port)).toBe(true);
    expect(await registryAnswers('127.0.0.1', forbiddenPort)).toBe(false);
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    expect(await registryAnswers('127.0.0.1', closed)).toBe(false);
    expect(await canListen('127.0.0.1', closed)).toEqual({ ok: true });
    expect(await probeRegistry('127.0.0.1', registry.port)).toBe('registry');
    expect(await probeRegistry('127.0.0.1', forbiddenPort)).toBe('not-a-registry');
    expect(await probeRegistry('127.0.0.1', closed)).toBe('refused');
    // accepts the connection and never answers: a busy registry, not a reason to switch storage
    const silent = createNetServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      expect(await probeRegistry('127.0.0.1', (silent.address() as AddressInfo).port, 200)).toBe('timeout');
    } finally {
      silent.close();
    }
    expect(await canListen('127.0.0.1', registry.port)).toEqual({ ok: false, code: 'EADDRINUSE' });
  });

  it('counts a registry serving HTTPS as a registry (its 400 to plain HTTP), so it is not replaced', async () => {
    const tls = await startDistribution({ tls: true });
    try {
      const port = Number(tls.host.split(':')[1]);
      expect(await probeRegistry('127.0.0.1', port)).toBe('registry');
    } finally {
      await tls.stop();
    }
    // a plain 400 from something else is still not a registry
    const other = createServer((_req, res) => res.writeHead(400).end('bad request'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      expect(await probeRegistry('127.0.0.1', (other.address() as AddressInfo).port)).toBe('not-a-registry');
    } finally {
      other.close();
    }
  });
});
