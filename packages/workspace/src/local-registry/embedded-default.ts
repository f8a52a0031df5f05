/**
 * The embedded default (DESIGN §7, seed "Local Registry"): the local registry `localhost:5000`
 * stores into `$PROVISIONING_HOME/oci-registry/`. When nothing serves that endpoint, commands read
 * and write that storage directly — a new user needs no server. Rule:
 *
 *   registry type not `oci-layout` already, registry is a loopback host on port 5000, and
 *   nothing listens there, or what listens is not a registry (`GET /v2/` neither 200 nor 401)
 *   →  `registryType: oci-layout` (the layout root stays the effective `layoutPath`).
 *
 * Anything answering there (`oci-registry start`, a `docker run registry:2`) is used over HTTP as
 * configured. A non-registry listener (macOS AirPlay on :5000) does not count. A listener that
 * does not answer in time is kept: a slow registry must not silently turn into another storage.
 */
import type { EffectiveConfig } from '../config/effective-config.js';
import { isLoopbackRegistry } from '../config/registry-host.js';
import { type ProbeResult, probeRegistry } from './health.js';
import { DEFAULT_LOCAL_REGISTRY_PORT } from './start-registry.js';

export interface EmbeddedDefaultOptions {
  /** Probe of host:port. Default: `GET /v2/`, 1.5 s timeout. */
  probe?: (host: string, port: number) => Promise<ProbeResult>;
}

/** `localhost:5000`, `127.0.0.1:5000`, `[::1]:5000` → the host to probe; else undefined. */
export function localRegistryHost(registry: string): string | undefined {
  if (!isLoopbackRegistry(registry)) return undefined;
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(registry);
  if (!match || Number(match[2]) !== DEFAULT_LOCAL_REGISTRY_PORT) return undefined;
  const host = match[1]!;
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

export async function applyEmbeddedDefault(
  effective: EffectiveConfig,
  options: EmbeddedDefaultOptions = {},
): Promise<EffectiveConfig> {
  if (effective.registryType.value === 'oci-layout') return effective;
  const host = localRegistryHost(effective.registry.value);
  if (host === undefined) return effective;
  const probe = options.probe ?? ((h: string, p: number) => probeRegistry(h, p, 1500));
  const found = await probe(host, DEFAULT_LOCAL_REGISTRY_PORT);
  if (found === 'registry' || found === 'timeout') return effective;
  return {
    ...effective,
    registryType: {
      value: 'oci-layout',
      source: 'default',
      origin: `built-in: embedded storage, no registry answers on ${effective.registry.value}`,
    },
  };
}
