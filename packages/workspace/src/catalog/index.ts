/** The catalog: read-only questions about a registry and a workspace, shared by the API gateway and the MCP server. */
export {
  type CatalogContext,
  type CatalogContextOptions,
  dryRunOptions,
  openCatalogContext,
  requireWorkspace,
} from './catalog-context.js';
export { dependencyGraph, type ExtensionGraph, type GraphNodeOut } from './dependency-graph.js';
export {
  type DescribeOptions,
  dependenciesOf,
  describeExtension,
  type ExtensionDependency,
  type ExtensionDescription,
  type SignatureStatus,
} from './describe-extension.js';
export { explainVersion, type VersionExplanation } from './explain-version.js';
export { MAX_README_BYTES, readLayerReadme } from './layer-readme.js';
export { type CatalogNamespace, listNamespaces } from './list-namespaces.js';
export {
  MODULE_NAME_PATTERN,
  MODULE_REQUEST_MAX_LENGTH,
  type ModuleRequest,
  parseModuleRequest,
} from './module-request.js';
export {
  type DryRunOptions,
  type DryRunResult,
  type ResolvedEdge,
  type ResolvedModule,
  resolveDryRun,
} from './resolve-dry-run.js';
export { type CatalogEntry, type CatalogQuery, searchCatalog } from './search-catalog.js';
export { workspaceTrustedKeys } from './trusted-keys.js';
export {
  type DriftKind,
  type WorkspaceModuleStatus,
  type WorkspaceStatus,
  workspaceStatus,
} from './workspace-status.js';
