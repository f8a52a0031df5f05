export {
  type BackendInputs,
  builtinServerEntry,
  chooseBackend,
  distributionConfig,
  distributionStorage,
  type LaunchPlan,
  planLaunch,
  zotConfig,
} from './backends.js';
export {
  applyEmbeddedDefault,
  type EmbeddedDefaultOptions,
  isRecordedRegistry,
  localRegistryHost,
} from './embedded-default.js';
export { findExecutable } from './find-executable.js';
export {
  canListen,
  endpointOf,
  type ProbeResult,
  portAnswers,
  probeRegistry,
  registryAnswers,
} from './health.js';
export { type LoadedLayouts, loadLayoutsInto } from './load-layouts.js';
export {
  countDistributionRepositories,
  countLayoutRepositories,
  type LocalRegistryStatus,
  localRegistryStatus,
  type RegistryCondition,
} from './registry-status.js';
export {
  DEFAULT_LOCAL_REGISTRY_HOST,
  DEFAULT_LOCAL_REGISTRY_PORT,
  LOG_FILE,
  logFilePath,
  type StartLocalRegistryOptions,
  type StartLocalRegistryResult,
  startLocalRegistry,
} from './start-registry.js';
export {
  BACKEND_NAMES,
  type BackendName,
  type LocalRegistryState,
  readState,
  STATE_FILE,
  stateFilePath,
} from './state-file.js';
export {
  type StopLocalRegistryOptions,
  type StopLocalRegistryResult,
  type StopOutcome,
  stopLocalRegistry,
} from './stop-registry.js';
