/**
 * `@provisioning/workspace/lean`: the few functions a fast command path needs (configuration and the
 * frozen up-to-date check) without loading the registry client, the packager or template engines.
 */
export type {
  ConfigFlags,
  ConfigSource,
  EffectiveConfig,
  Env,
  NamespaceKind,
  RegistryType,
  Sourced,
} from './config/effective-config.js';
export {
  HOME_CONFIG_FILE,
  type LoadEffectiveConfigOptions,
  loadEffectiveConfig,
} from './config/load-effective-config.js';
export { lockfilePath } from './lockfile/lockfile-io.js';
export { type FrozenUpToDate, frozenUpToDate } from './resolve/frozen-check.js';
export { settingsFromEffectiveConfig, type WorkspaceSettings } from './settings/workspace-settings.js';
