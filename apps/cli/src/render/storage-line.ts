import type { EffectiveConfig } from '@provisioning/workspace';

/**
 * The `  storage  PATH (…)` line a command prints when what it read or wrote went to the embedded
 * storage (the configured registry is `oci-layout`, docs/registry.md "The embedded default"), so
 * output never suggests a server got it. Undefined when no reference is on the configured
 * registry or a registry serves it.
 */
export function embeddedStorageLine(
  config: Pick<EffectiveConfig, 'registry' | 'registryType' | 'layoutPath'>,
  references: readonly string[],
): string | undefined {
  if (config.registryType.value !== 'oci-layout') return undefined;
  const prefix = `${config.registry.value}/`;
  if (!references.some((reference) => reference.startsWith(prefix))) return undefined;
  const why =
    config.registryType.source === 'default' ? 'no registry is running' : 'registry.type: oci-layout';
  return `  storage ${config.layoutPath.value}  (the embedded storage: ${why})`;
}
