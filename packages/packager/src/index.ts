export {
  EXTENSION_TYPES,
  type ExtensionType,
  isExtensionType,
  OCI_MANIFEST_FILE,
  requiredFiles,
} from './extension-layout.js';
export { type NuTestResult, runNuTests } from './extension-tests/nu-tests.js';
export {
  type ExtensionCheck,
  type ExtensionTestReport,
  type TestExtensionOptions,
  testExtension,
} from './extension-tests/test-extension.js';
export { locateExtension } from './locate-extension.js';
export { type FindNuOptions, findNu } from './nushell/find-nu.js';
export { checkNuFiles } from './nushell/ide-check.js';
export {
  type OutputLine,
  type OutputStream,
  type RunNuOptions,
  type RunNuResult,
  runNu,
} from './nushell/run-nu.js';
export { INHERITED_SCRIPT_VARIABLES, scriptEnvironment } from './nushell/script-env.js';
export { buildArtifact, type ExtensionArtifact, tarballName } from './pack/artifact.js';
export {
  type OciManifestFile,
  parseOciManifestFile,
  serializeOciManifestFile,
} from './pack/oci-manifest-file.js';
export type { OciDescriptor, OciImageManifest } from './pack/oci-types.js';
export {
  DIRECTORY_LAYER_LIMITS,
  type DirectoryLayer,
  type DirectoryLayerOptions,
  packDirectoryLayer,
} from './pack/pack-directory-layer.js';
export { type PackOptions, type PackResult, packExtension } from './pack/pack-extension.js';
export {
  packVerifiedTree,
  type VerifiedTree,
  type VerifiedTreeOptions,
} from './pack/pack-verified-tree.js';
export { resolveSourceDateEpoch } from './pack/source-date-epoch.js';
export { type ExtensionProblem, formatExtensionProblem } from './problems.js';
export { scaffoldExtension } from './scaffold/scaffold-extension.js';
export { deepMerge, isPlainObject } from './templates/deep-merge.js';
export {
  createTemplateEnvironment,
  templateErrorPosition,
  templateErrorReason,
} from './templates/template-env.js';
export { aliasKey, entryNameProblem } from './tree/entry-name.js';
export { DEFAULT_UNPACK_LIMITS, type UnpackLimits } from './unpack/limits.js';
export { type UnpackOptions, type UnpackResult, unpackExtension } from './unpack/unpack-extension.js';
export type { TemplateTestCase } from './validate/test-cases.js';
export {
  type ValidateExtensionOptions,
  type ValidationResult,
  validateExtension,
} from './validate/validate-extension.js';
