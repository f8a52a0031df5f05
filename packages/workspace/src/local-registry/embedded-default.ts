/**
 * The embedded default (docs/registry.md, "The embedded default"): the local registry
 * `localhost:5000` stores into `$PROVISIONING_HOME/oci-registry/`. When nothing serves that
 * endpoint, commands read and write that storage directly — a new user needs no server. Rule:
 *
 *   registry type not `oci-layout` already, registry is a loopback host on port 5000, and
 *   nothing listens there, or what listens is not a registry (`GET /v2/` neither 200 nor 401)
 *   →  `registryType: oci-layout` (the layout root stays the effective `layoutPath`).
 *
 * Anything answering there (`oci-registry start`, a `docker run registry:2`) is used over HTTP as
 * configured. A non-registry listener (macOS AirPlay on :5000) does not count. A listener that
 * does not answer in time is kept: a slow registry must not silently turn into another storage.
 *
 * A registry that `oci-registry start` recorded in `$PROVISIONING_HOME/oci-registry.json` is never
 * replaced: when the configured registry is that endpoint (any loopback host, the recorded port)
 * and it no longer answers, the command fails with `REGISTRY_NOT_RUNNING` instead of silently
 * writing somewhere else. `oci-registry stop` removes the record and brings the embedded storage back.
 */
import { ProvisioningError } from '@provisioning/schemas';
import type { EffectiveConfig } from '../config/effective-config.js';
import { isLoopbackRegistry } from '../config/registry-host.js';
import { type ProbeResult, probeRegistry } from './health.js';
import { DEFAULT_LOCAL_REGISTRY_PORT } from './start-registry.js';
import { type LocalRegistryState, readState } from './state-file.js';

export interface EmbeddedDefaultOptions {
  /** Probe of host:port. Default: `GET /v2/`, 1.5 s timeout. */
  probe?: (host: string, port: number) => Promise<ProbeResult>;
  /**
   * What `oci-registry start` recorded (default: read from `$PROVISIONING_HOME/oci-registry.json`);
   * `null` for none.
   */
  state?: LocalRegistryState | null;
  /**
   * Apply the plain rule even when a recorded registry is dead (`oci-registry start|stop|status`
   * and `oci config` must work then: they are how the user repairs it).
   */
  tolerateDeadRecord?: boolean;
}

/** `localhost:5000`, `127.0.0.1:5000`, `[::1]:5000` → the host to probe; else undefined. */
export function localRegistryHost(registry: string): string | undefined {
  const parsed = loopbackHostPort(registry);
  return parsed && parsed.port === DEFAULT_LOCAL_REGISTRY_PORT ? parsed.host : undefined;
}

function loopbackHostPort(registry: string): { host: string; port: number } | undefined {
  if (!isLoopbackRegistry(registry)) return undefined;
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(registry);
  if (!match) return undefined;
  const host = match[1]!;
  return { host: host.startsWith('[') ? host.slice(1, -1) : host, port: Number(match[2]) };
}

/** True when `registry` reaches what `oci-registry start` recorded (a loopback host on its port). */
export function isRecordedRegistry(registry: string, state: LocalRegistryState): boolean {
  const parsed = loopbackHostPort(registry);
  return parsed !== undefined && parsed.port === state.port && isLoopbackRegistry(state.endpoint);
}

export async function applyEmbeddedDefault(
  effective: EffectiveConfig,
  options: EmbeddedDefaultOptions = {},
): Promise<EffectiveConfig> {
  if (effective.registryType.value === 'oci-layout') return effective;
  const probe = options.probe ?? ((h: string, p: number) => probeRegistry(h, p, 1500));
  const registry = effective.registry.value;
  const state = options.state === undefined ? await readRecord(effective) : options.state;
  if (state && !options.tolerateDeadRecord && isRecordedRegistry(registry, state)) {
    const found = await probe(state.host, state.port);
    if (found === 'registry' || found === 'timeout') return effective;
    throw new ProvisioningError(
      'REGISTRY_NOT_RUNNING',
      `the ${state.backend} registry that \`oci-registry start\` recorded on ${state.endpoint} (pid ${state.pid}) no longer answers`,
      {
        kind: 'network',
        hint: 'run `provisioning oci-registry start` to start it again, or `provisioning oci-registry stop` to go back to the embedded storage',
        details: { endpoint: state.endpoint, backend: state.backend, pid: state.pid, storage: state.storage },
      },
    );
  }
  const host = localRegistryHost(registry);
  if (host === undefined) return effective;
  const found = await probe(host, DEFAULT_LOCAL_REGISTRY_PORT);
  if (found === 'registry' || found === 'timeout') return effective;
  return {
    ...effective,
    registryType: {
      value: 'oci-layout',
      source: 'default',
      origin: `built-in: embedded storage, no registry answers on ${registry}`,
    },
  };
}

async function readRecord(effective: EffectiveConfig): Promise<LocalRegistryState | null> {
  const home = effective.home?.value;
  if (!home) return null;
  return (await readState(home)) ?? null;
}
