/**
 * The public API of `@provisioning/workspace`, name by name (each is described in the package README).
 * What is not here is internal and may change without notice.
 */

export { parseByteSize } from './bundle/byte-size.js';
export {
  type BundleArtifactKind,
  type CreateBundleOptions,
  type CreateBundleResult,
  createBundle,
} from './bundle/create-bundle.js';
export { type BundleContents, inspectBundle } from './bundle/inspect-bundle.js';
export {
  type PushBundleOptions,
  type PushBundleResult,
  parseNamespaceMap,
  pushBundle,
} from './bundle/push-bundle.js';
export { ExtensionCache, sanitiseRegistryHost } from './cache/cache-store.js';
export {
  type CatalogContext,
  type CatalogContextOptions,
  dryRunOptions,
  openCatalogContext,
  requireWorkspace,
} from './catalog/catalog-context.js';
export { dependencyGraph, type ExtensionGraph, type GraphNodeOut } from './catalog/dependency-graph.js';
export {
  type DescribeOptions,
  dependenciesOf,
  describeExtension,
  type ExtensionDependency,
  type ExtensionDescription,
  type SignatureStatus,
} from './catalog/describe-extension.js';
export { explainVersion, type VersionExplanation } from './catalog/explain-version.js';
export { MAX_README_BYTES, readLayerReadme } from './catalog/layer-readme.js';
export { type CatalogNamespace, listNamespaces } from './catalog/list-namespaces.js';
export {
  MODULE_NAME_PATTERN,
  MODULE_REQUEST_MAX_LENGTH,
  type ModuleRequest,
  parseModuleRequest,
} from './catalog/module-request.js';
export {
  type DryRunOptions,
  type DryRunResult,
  type ResolvedEdge,
  type ResolvedModule,
  resolveDryRun,
} from './catalog/resolve-dry-run.js';
export { type CatalogEntry, type CatalogQuery, searchCatalog } from './catalog/search-catalog.js';
export { workspaceTrustedKeys } from './catalog/trusted-keys.js';
export {
  type DriftKind,
  type WorkspaceModuleStatus,
  type WorkspaceStatus,
  workspaceStatus,
} from './catalog/workspace-status.js';
export { layerFromFile } from './config/config-layer.js';
export { discoverWorkspace, hasWorkspaceConfig, WORKSPACE_CONFIG_FILE } from './config/discover.js';
export { parseDuration } from './config/duration.js';
export type {
  ConfigFlags,
  ConfigSource,
  EffectiveConfig,
  MirrorEndpoint,
  Sourced,
} from './config/effective-config.js';
export { booleanEnv, stringEnv } from './config/env-values.js';
export { resolveConfigPath } from './config/home.js';
export { HOME_CONFIG_FILE, loadEffectiveConfig } from './config/load-effective-config.js';
export { checkNamespace } from './config/namespace.js';
export { isLoopbackRegistry, parseRegistryEndpoint } from './config/registry-host.js';
export { rootModules } from './config/root-modules.js';
export { addModuleReference, setConfigValue, setModuleReference } from './config-edit/module-list-edit.js';
export {
  CORE_REPOSITORY,
  coreHome,
  coreTarget,
  installedCoreDir,
  parseCoreVersion,
} from './core/core-reference.js';
export { type DefaultCore, useCore, whichCore } from './core/default-core.js';
export { coreNotPublished, type InstallCoreResult, installCore } from './core/install-core.js';
export { listCores, type PublishedCore } from './core/list-cores.js';
export { type PublishCoreOptions, type PublishCoreResult, publishCore } from './core/publish-core.js';
export { parseReleaseTag, type ReleaseTag, releaseTagOf } from './git/release-tag.js';
export {
  type HistoryGeneration,
  type InstallHistory,
  installHistory,
} from './history/install-history.js';
export { type RollbackOptions, type RollbackResult, rollbackWorkspace } from './history/rollback.js';
export { type InitWorkspaceResult, initWorkspace } from './init/init-workspace.js';
export { listWorkspaces, type WorkspaceInfo, workspaceInfo } from './init/workspace-info.js';
export { type ConfigPin, type GenerationEntry, listGenerations } from './install/generation-record.js';
export {
  currentGeneration,
  DEFAULT_KEEP_GENERATIONS,
  pruneGenerations,
  recoverWorkspace,
} from './install/generations.js';
export { matchesStamps, readStamps, writeStamps } from './install/stamps.js';
export { InstallTransaction } from './install/transaction.js';
export { verifyInstalledModule } from './install/verify-installed.js';
export { chooseBackend, distributionConfig, planLaunch, zotConfig } from './local-registry/backends.js';
export {
  applyEmbeddedDefault,
  isRecordedRegistry,
  localRegistryHost,
} from './local-registry/embedded-default.js';
export { findExecutable } from './local-registry/find-executable.js';
export {
  canListen,
  endpointOf,
  portAnswers,
  probeRegistry,
  registryAnswers,
} from './local-registry/health.js';
export { loadLayoutsInto } from './local-registry/load-layouts.js';
export { lastLogLine } from './local-registry/log-file.js';
export { type LocalRegistryStatus, localRegistryStatus } from './local-registry/registry-status.js';
export { startLocalRegistry } from './local-registry/start-registry.js';
export type { BackendName } from './local-registry/state-file.js';
export { type StopOutcome, stopLocalRegistry } from './local-registry/stop-registry.js';
export { lockfilePath, readLockfile, serializeLockfile, writeLockfile } from './lockfile/lockfile-io.js';
export { type MigrateToOciResult, migrateToOci } from './migrate/migrate-to-oci.js';
export { type LoadModuleResult, loadModule } from './module/load-module.js';
export { type BulkFailure, bulkError, messageOf } from './oci/bulk-error.js';
export { type CopyArtifactResult, copyArtifact } from './oci/copy-artifact.js';
export { copyArtifacts, planCopies } from './oci/copy-artifacts.js';
export { type DeleteResult, deleteArtifact } from './oci/delete-artifact.js';
export { eachSettled } from './oci/each-settled.js';
export { type InspectResult, inspectArtifact } from './oci/inspect-artifact.js';
export { type ListedExtension, listExtensions, otherNamespaces } from './oci/list-extensions.js';
export { type ListedSignature, listSignatures, type SignatureListing } from './oci/list-signatures.js';
export { listTags, type TagRow } from './oci/list-tags.js';
export {
  type MirroredTag,
  type MirrorNamespaceOptions,
  type MirrorNamespaceResult,
  mirrorNamespace,
} from './oci/mirror-namespace.js';
export { OciSession, type OciSessionOptions, type OpenedTarget, withOciSession } from './oci/oci-session.js';
export { type PublishExtensionResult, publishExtension } from './oci/publish-extension.js';
export { findExtensionDirs, publishExtensions } from './oci/publish-extensions.js';
export { type PullExtensionResult, pullExtension } from './oci/pull-extension.js';
export { pullExtensions } from './oci/pull-extensions.js';
export { type PushExtensionResult, pushExtension } from './oci/push-extension.js';
export { type SearchHit, searchExtensions } from './oci/search-extensions.js';
export { type SignArtifactOptions, type SignArtifactResult, signArtifact } from './oci/sign-artifact.js';
export { openSignedSubject, type SignedSubject } from './oci/signed-subject.js';
export { storePackedInLayout } from './oci/store-packed.js';
export { latestTag, orderTags } from './oci/tag-order.js';
export { type VerifyArtifactResult, verifyArtifact } from './oci/verify-artifact.js';
export type { PlanEntry } from './plan/install-plan.js';
export {
  type BuildPlatformImageOptions,
  type BuildPlatformImageResult,
  buildPlatformImage,
} from './platform/build-platform-image.js';
export type { RenderedTemplate } from './preview/render-templates.js';
export { previewTaskserv } from './preview/taskserv-preview.js';
export { type ChangedExtension, changedExtensions } from './release/changed-extensions.js';
export {
  type CiProvider,
  type CiTemplate,
  type CiTemplateOptions,
  ciTemplate,
} from './release/ci-templates.js';
export {
  type ReleaseOptions,
  type ReleaseResult,
  releaseExtension,
  releaseTagsAt,
} from './release/release-extension.js';
export { openExtensionRepository, RegistryClients } from './repository/open-repository.js';
export { checkUpdates, type UpdateRow } from './resolve/check-updates.js';
export { checkCoreVersion } from './resolve/core-version.js';
export { withSolveExplanation } from './resolve/explained-failure.js';
export { frozenUpToDate } from './resolve/frozen-check.js';
export { workspaceGraph } from './resolve/installed-graph.js';
export { graphFromLockfile } from './resolve/lockfile-build.js';
export { lockfileDifferences } from './resolve/lockfile-check.js';
export { resolveWorkspace } from './resolve/resolve-workspace.js';
export { infraStatePath, readInfraState } from './scripts/infra-state-file.js';
export {
  type CreateModuleResult,
  checkModules,
  createModule,
  DEFAULT_SCRIPT_TIMEOUT_MS,
  deleteModule,
  listInfraModules,
  type ModuleScriptOptions,
  type ModuleScriptsResult,
} from './scripts/module-lifecycle.js';
export type { ModuleRef, ScriptOutput, ScriptRun } from './scripts/run-module-script.js';
export {
  settingsFromEffectiveConfig,
  type WorkspaceSettings,
  workspaceConfigFile,
} from './settings/workspace-settings.js';
export {
  type AcceptedSignature,
  checkSignatures,
  type SignatureSubject,
  type TrustedKey,
} from './signing/check-signatures.js';
export { type CopiedSignatures, copySignatures } from './signing/copy-signatures.js';
export { loadPrivateKey, loadPublicKeys, writeKeyPair } from './signing/key-files.js';
export { type SignedManifest, type SignManifestOptions, signManifest } from './signing/sign-manifest.js';
export {
  readSignatures,
  type SignatureEntry,
  type SignatureSet,
  type WrittenSignature,
  writeSignature,
} from './signing/signature-store.js';
export type { ExtensionSource, GitOrigin } from './source/extension-source.js';
export { GitExtensionSource, type GitExtensionSourceOptions } from './source/git-source.js';
export { LocalExtensionSource } from './source/local-source.js';
export { OciExtensionSource } from './source/oci-source.js';
export { RoutedExtensionSource } from './source/routed-source.js';
export { giteaRepositoryUrl, gitModuleUrl, gitUrlOfRoot } from './source/source-kind.js';
export { createWorkspaceSource } from './source/workspace-source.js';
export { type ValidationProblem, validateWorkspace } from './validate/validate-workspace.js';
export {
  acquireWorkspaceLock,
  type WorkspaceLockOptions,
  withWorkspaceLock,
} from './workspace-lock/workspace-lock.js';
