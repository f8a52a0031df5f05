/**
 * The public API of `@provisioning/schemas`, name by name (each is described in the package README).
 * What is not here is internal and may change without notice.
 */
export { canonicalJson } from './canonical-json.js';
export {
  type DigestAlgorithm,
  digestProblem,
  isValidDigest,
  type ParsedDigest,
  parseDigest,
} from './digest.js';
export { closestMatch, editDistance } from './edit-distance.js';
export {
  ERROR_CATALOGUE,
  type ErrorCode,
  errorCatalogueMarkdown,
  isErrorCode,
  kindOfCode,
} from './error-catalogue.js';
export {
  type ErrorKind,
  isProvisioningError,
  ProvisioningError,
  type ProvisioningErrorOptions,
} from './errors.js';
export { asFileSystemError } from './file-system-error.js';
export {
  type GitModuleReference,
  type GitTransport,
  isGitModuleReference,
  isRepositoryPath,
  parseGiteaCoreSource,
  parseGitModuleReference,
} from './git-reference.js';
export {
  INFRA_STATE_VERSION,
  type InfraState,
  type InstalledModule,
  infraStateSchema,
  installedModuleSchema,
} from './infra-state.js';
export {
  JSON_SCHEMA_BASE_URL,
  JSON_SCHEMA_FILES,
  type JsonSchemaName,
  jsonSchemaFiles,
  toEditorJsonSchema,
  yamlSchemaModeline,
} from './json-schema.js';
export {
  LOCK_SOURCES,
  LOCKFILE_VERSION,
  type LockedImage,
  type LockedModule,
  type Lockfile,
  type LockSource,
  lockedImageSchema,
  lockedModuleSchema,
  lockfileSchema,
} from './lockfile.js';
export { makeDirectory } from './make-directory.js';
export {
  EXTENSION_TYPES,
  type ExtensionManifest,
  type ExtensionType,
  extensionManifestSchema,
  manifestWarnings,
} from './manifest.js';
export {
  Annotations,
  MANIFEST_MEDIA_TYPES,
  MAX_MANIFEST_BYTES,
  type MediaType,
  MediaTypes,
} from './media-types.js';
export { openNewFileSink } from './new-file-sink.js';
export {
  CONFIG_PARSE_LIMITS,
  checkJsonLimits,
  inputTooDeep,
  inputTooLarge,
  inputTooManyAliases,
  JSON_MANIFEST_PARSE_LIMITS,
  MANIFEST_PARSE_LIMITS,
  type ParseLimits,
  parseJsonWithinLimits,
} from './parse-limits.js';
export { pathExists } from './path-exists.js';
export { appInstallDir, isPlatformApp, PLATFORM_APPS, type PlatformApp } from './platform-apps.js';
export { processAlive } from './process-alive.js';
export { expandHome, type HomeEnv, provisioningHome, resolvePath, userHome } from './provisioning-home.js';
export {
  DEFAULT_NAMESPACES,
  DEFAULT_REGISTRY,
  formatReference,
  MAX_REFERENCE_LENGTH,
  type OciReference,
  parseReference,
  type ReferenceDefaults,
  referenceName,
  repositoryBasename,
  versionFromTag,
  withoutUserinfo,
} from './reference.js';
export {
  configuredRegistryProblem,
  isValidConfiguredRegistry,
  isValidPathComponent,
  isValidRegistry,
  isValidRepository,
  isValidTag,
  looksLikeRegistry,
  NAME_TOTAL_LENGTH_MAX,
  REGISTRY_NAME_HINT,
  TAG_LENGTH_MAX,
} from './reference-grammar.js';
export { type SnakeCaseOptions, snakeCaseKey, snakeCaseKeys } from './snake-case-keys.js';
export {
  type CoreSettings,
  coreSettingsSchema,
  coreSourceSchema,
  type DependenciesSettings,
  dependenciesSchema,
  type ExtensionModules,
  type ExtensionsSettings,
  extensionModulesSchema,
  extensionsSettingsSchema,
  type GiteaSourceSettings,
  giteaSourceSchema,
  gitServerUrlProblem,
  type HomeConfig,
  homeConfigSchema,
  MODULE_GROUPS,
  type ModuleGroup,
  type OciSourceSettings,
  ociSourceSchema,
  type PlatformSettings,
  pathSettingSchema,
  platformSettingsSchema,
  REGISTRY_TYPES,
  type RegistryMirrors,
  type RegistryNamespaces,
  type RegistryOciSettings,
  type RegistrySettings,
  type RegistryType,
  registryMirrorsSchema,
  registryNamespacesSchema,
  registryOciSchema,
  registrySettingsSchema,
  SOURCE_TYPES,
  type SourceType,
  type VerifyPolicy,
  verifyPolicySchema,
  type WorkspaceConfig,
  workspaceConfigSchema,
} from './workspace-config.js';
export { syncDir, writeFileAtomic } from './write-file-atomic.js';
export { checkYamlLimits } from './yaml-limits.js';
export {
  ConfigError,
  type ConfigErrorCode,
  formatKeyPath,
  formatProblem,
  loadYamlFile,
  MAX_CONFIG_BYTES,
  MAX_LISTED_PROBLEMS,
  type ParsedYaml,
  type Problem,
  parseYaml,
  parseYamlData,
  parseYamlDocument,
  yamlToData,
} from './yaml-load.js';
export { endpointProblem, moduleReferenceString, rangeProblem, semverProblem } from './zod-validators.js';
