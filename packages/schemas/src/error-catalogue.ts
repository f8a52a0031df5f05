/**
 * Every error code provisioning reports, with its kind (which decides the exit status: input and
 * internal 1, usage 2, registry and network 3) and what it means. One code has one kind wherever it
 * is raised: the embedded storage, the built-in server and a remote registry give the same code for
 * the same failure (docs/architecture.md, "Error model"). `docs/errors.md` is generated from this
 * table (`node scripts/generate-error-docs.mjs`), and a test keeps the two and the sources in step.
 */
import type { ErrorKind } from './errors.js';

interface CatalogueEntry {
  kind: ErrorKind;
  meaning: string;
  /**
   * An aggregate of several failures (a bulk copy, a resolve that fetched many artifacts): it exits
   * as its first failure does, so `kind` is only the default.
   */
  ofFirstFailure?: true;
}

const input = (meaning: string): CatalogueEntry => ({ kind: 'input', meaning });
const usage = (meaning: string): CatalogueEntry => ({ kind: 'usage', meaning });
const registry = (meaning: string): CatalogueEntry => ({ kind: 'registry', meaning });
const network = (meaning: string): CatalogueEntry => ({ kind: 'network', meaning });
const internal = (meaning: string): CatalogueEntry => ({ kind: 'internal', meaning });
const aggregate = (meaning: string): CatalogueEntry => ({ kind: 'input', meaning, ofFirstFailure: true });

export const ERROR_CATALOGUE = {
  // configuration: files, environment, flags
  CONFIG_INVALID: input('a value in provisioning.yaml or config.yaml is invalid (file:line:column named)'),
  CONFIG_MISSING_KEY: input('a key the configuration needs is not set'),
  CONFIG_UNSUPPORTED: input('a configuration value names something this version does not support yet'),
  YAML_SYNTAX: input('a YAML file does not parse'),
  INPUT_TOO_DEEP: input('a YAML or JSON document nests deeper than the limit'),
  INPUT_TOO_LARGE: input('a YAML or JSON document is larger than the limit'),
  INPUT_TOO_MANY_ALIASES: input('a YAML document uses more aliases than the limit'),
  FILE_NOT_FOUND: input('a file that was named does not exist, or is a directory'),
  FILE_UNREADABLE: input('a file cannot be read'),
  ENV_INVALID: input('an environment variable has an invalid value'),
  FLAG_INVALID: usage('a flag has an invalid value'),
  FLAGS_CONFLICT: usage('two flags that exclude each other were given'),
  USAGE_INVALID: usage('missing argument, unknown flag or command, or arguments that do not fit together'),
  COMMAND_FAILED: input('a command refused what it was asked, with the reason'),
  NOT_SUPPORTED: usage('the command does not support that mode yet'),
  // workspaces
  WORKSPACE_NOT_FOUND: input('no workspace (config/provisioning.yaml) where one was expected'),
  WORKSPACE_INVALID: input('the workspace has problems (listed)'),
  WORKSPACE_LOCKED: input('another provisioning process holds the workspace lock'),
  WORKSPACE_INIT_REFUSED: input('a workspace cannot be created there'),
  GENERATION_UNKNOWN: input('the install generation named is not kept in the workspace (see dep history)'),
  ROLLBACK_UNAVAILABLE: input('nothing installed yet, or no earlier generation to roll back to'),
  REGISTRY_INVALID: input('a registry name is not a valid host[:port]'),
  // modules, lockfile, resolution
  MODULE_NOT_FOUND: input('a module is published nowhere the workspace looks'),
  MODULE_DUPLICATE: input('the module is already listed in the workspace config'),
  MODULE_NOT_IN_CONFIG: input('the module is not listed in the workspace config'),
  MODULE_TYPE_MISMATCH: input('a module is listed under another type than the one it is'),
  LOCAL_EXTENSIONS_NOT_FOUND: input('no extensions/ directory for a local source'),
  REFERENCE_NOT_VERSION: input('a module reference carries a tag that is not a version'),
  REFERENCE_UNSUPPORTED: input('a module reference pins a digest; modules are pinned by version'),
  SOURCE_UNSUPPORTED: input('an extension source kind that is not supported'),
  RESOLUTION_FAILED: input('no set of versions satisfies every range (the explanation says why)'),
  INVALID_RANGE: input('a version range does not parse'),
  INVALID_MIN_CORE_VERSION: input('an extension declares an invalid minimum core version'),
  UPDATE_TARGET_INVALID: usage('`dep update --to` names neither a version nor a range'),
  INVALID_TREE_DEPTH: usage('`dep tree --depth` is negative'),
  TREE_INVERT_NEEDS_NAME: usage('`dep tree --invert` without the module to start from'),
  PACKAGE_NOT_IN_GRAPH: input('the module is not among the resolved dependencies'),
  DEPENDENCY_CYCLE: input('the dependencies form a cycle'),
  CORE_VERSION_INVALID: input('dependencies.core.source names no version'),
  CORE_VERSION_MISMATCH: input('the workspace pins another core version than the one running'),
  CORE_NOT_PUBLISHED: input('the pinned or named core version is not published in the registry'),
  CORE_NOT_INSTALLED: input('the pinned core is not installed and cannot be fetched (offline)'),
  CORE_INVALID: input('a core artifact or installed core is not a valid provisioning core'),
  CORE_VERSION_ARG_INVALID: usage('the core VERSION argument is not a semver version'),
  LOCK_MISSING: input('the workspace has no lockfile yet'),
  LOCK_STALE: input('the lockfile does not match the configuration (`--frozen`)'),
  CACHE_MISS: input('offline, and the cache lacks what is needed'),
  FETCH_FAILED: aggregate('one or more artifacts could not be fetched (each named)'),
  PLATFORM_IMAGE_UNRESOLVED: aggregate('one or more platform images could not be resolved (each named)'),
  MIGRATION_INCOMPLETE: input('modules are not published yet, so the workspace cannot be migrated'),
  MIGRATION_VERSION_UNKNOWN: input('a module has no version to migrate to'),
  INFRA_INVALID: usage('--infra is not an infra name'),
  INFRA_NOT_FOUND: input('the infra settings file does not exist'),
  TEMPLATE_RENDER_FAILED: input('an extension template does not render with the settings'),
  // extension scripts (install.nu, check.nu, uninstall.nu) and the infra state
  NU_NOT_FOUND: input('the Nushell binary nu is not found (PROVISIONING_NU, the nushell package, PATH)'),
  SCRIPT_FAILED: input('an extension script exited non-zero (module, script and exit code named)'),
  SCRIPT_TIMEOUT: input('an extension script ran longer than --timeout and was stopped'),
  MODULE_NOT_INSTALLED: input('the module is not recorded as installed in the infra state'),
  DEPENDENTS_INSTALLED: input('installed modules depend on the one to delete (`--cascade` deletes them too)'),
  // extensions: validate, pack, unpack
  EXTENSION_INVALID: input('the extension directory has problems (each with file:line)'),
  EXTENSION_NOT_FOUND: input('no extension of that name or directory'),
  EXTENSION_AMBIGUOUS: usage('the name matches several extension directories'),
  EXTENSION_NAME_INVALID: usage('the extension name is not valid'),
  EXTENSION_TYPE_INVALID: usage('unknown extension type'),
  EXTENSION_VERSION_INVALID: usage('the version is not semver'),
  EXTENSION_NAME_MISMATCH: input('the name given differs from manifest.yaml'),
  EXTENSION_VERSION_MISMATCH: input('the version given differs from manifest.yaml'),
  EXTENSION_CHANGED: input('a file changed while the extension was being packed'),
  NO_EXTENSIONS: input('no extensions under the directory'),
  OUTPUT_INSIDE_EXTENSION: usage('the output directory is inside the extension being packed'),
  SOURCE_DATE_EPOCH_INVALID: input('SOURCE_DATE_EPOCH is not a valid timestamp'),
  UNSAFE_ARCHIVE: input('a tarball is corrupt or holds entries that are not allowed'),
  ARCHIVE_LIMIT: input('a tarball exceeds a safety limit (entries, sizes)'),
  TARGET_EXISTS: input('the output already exists (`--force` replaces it)'),
  NOT_AN_EXTENSION: input('the artifact is not a provisioning extension (the message says what it is)'),
  ARTIFACT_INVALID: registry('the artifact claims to be an extension but is malformed'),
  // references and OCI content
  REFERENCE_INVALID: input('a reference does not parse (credentials inside one are refused)'),
  REPOSITORY_NAME_INVALID: input('a repository name is not valid'),
  TAG_INVALID: input('a tag is not valid'),
  DIGEST_INVALID: input('a digest is not a valid sha256/sha512 digest'),
  DIGEST_MISMATCH: registry('content does not match its digest'),
  SIZE_INVALID: registry('the registry says an uploaded size did not match'),
  MANIFEST_INVALID: registry('a manifest is not valid JSON or was rejected'),
  MANIFEST_TOO_LARGE: registry('a manifest is larger than manifests can be (4 MiB)'),
  MANIFEST_BLOB_UNKNOWN: registry('the registry rejected a manifest whose blobs it lacks'),
  BLOB_TOO_LARGE: registry('a config blob is larger than metadata can be'),
  REPOSITORY_NOT_FOUND: input('no repository of that name (the hint names the closest one)'),
  TAG_NOT_FOUND: input('the repository has no such version (the hint lists published ones)'),
  MANIFEST_NOT_FOUND: input('no manifest with that digest'),
  BLOB_NOT_FOUND: input('a blob is missing from the storage'),
  NAME_UNKNOWN: registry('the registry does not know the repository'),
  MANIFEST_UNKNOWN: registry('the registry does not know the tag or digest'),
  BLOB_UNKNOWN: registry('the registry does not have the blob'),
  NO_VERSIONS: input('the repository has no version tags'),
  VERSION_EXISTS: input('the version is already published with other content (`--force` moves it)'),
  TAGS_REFERENCE_HAS_VERSION: usage('`oci tags` takes a name without a version'),
  DELETE_NEEDS_VERSION: usage('`oci delete` needs a version or digest'),
  REFERENCE_NEEDS_VERSION: usage('`oci sign` and `oci verify` need a version or digest'),
  DELETE_SHARED_DIGEST: input('deleting by digest would delete other tags too (`--all-tags`)'),
  DELETE_DISABLED: registry('the registry does not allow deletion'),
  DELETE_CANCELLED: input('the deletion was declined at the prompt'),
  CONFIRMATION_REQUIRED: usage('a destructive command needs --yes without a terminal'),
  PUBLISH_WHAT: usage('`oci publish` needs extension names or --all, not both'),
  PUBLISH_INCOMPLETE: aggregate('some of several publishes failed (the first is named)'),
  PULL_INCOMPLETE: aggregate('some of several pulls failed (the first is named)'),
  PULL_OUTPUT_CLASH: usage('several pulls would write the same directory'),
  COPY_INCOMPLETE: aggregate('some of several copies failed (the first is named)'),
  COPY_DESTINATION_CLASH: usage('several copies would write the same destination'),
  COPY_DESTINATION_INVALID: usage('with several sources the destination must be a namespace'),
  COPY_DIGEST_MISMATCH: usage('the copy destination digest is not the source digest'),
  COPY_REFERENCE_INVALID: usage('the copy destination reference is neither a tag nor a digest'),
  COPY_SOURCE_UNVERSIONED: usage('the copy source names no tag or digest'),
  COPY_DEPTH_EXCEEDED: input('an index nests deeper than copy follows'),
  BUNDLE_INVALID: input('a file is not a complete bundle (OCI image-layout tar archive)'),
  MIRROR_ARGUMENT_INVALID: usage(
    '`oci mirror` takes a source namespace and a destination registry[/namespace]',
  ),
  SOURCE_NAME_INVALID: usage('the artifact name cannot be derived from the source'),
  REFERRERS_UNSUPPORTED: usage('the source cannot list referrers'),
  REFERRERS_INVALID: registry('the registry sent an invalid referrers answer'),
  REFERRERS_TAG_CONFLICT: registry('the referrers fallback tag holds something else'),
  LAYOUT_INVALID: input('a directory is not a valid OCI image layout'),
  LAYOUT_NOT_FOUND: input('no OCI image layout at the path'),
  LAYOUT_LOCATION_INVALID: usage('an oci-layout: location does not parse'),
  LAYOUT_LOCK_TIMEOUT: internal('an OCI layout stayed locked by another process'),
  // registries
  UNAUTHORIZED: registry('the registry wants credentials, or refused them (`oci login`)'),
  DENIED: registry('the credentials lack the permission'),
  TOO_MANY_REQUESTS: registry('the registry is rate limiting'),
  REGISTRY_UNAVAILABLE: registry('the registry answers with server errors'),
  UNSUPPORTED: registry('the registry does not support the operation'),
  REGISTRY_ERROR: registry('the registry answered with an error not listed here (its code is in details)'),
  NAME_INVALID: registry('the registry refused the repository name'),
  BLOB_UPLOAD_INVALID: registry('an upload session failed'),
  BLOB_UPLOAD_UNKNOWN: registry('the registry lost an upload session'),
  NOT_A_REGISTRY: registry('the server does not answer like an OCI registry'),
  CATALOG_UNAVAILABLE: registry('the registry does not allow listing its repositories'),
  CROSS_ORIGIN_LINK: registry('a pagination link points to another origin'),
  TOO_MANY_PAGES: registry('a listing has more pages than the limit'),
  TOO_MANY_REDIRECTS: registry('more redirects than the limit'),
  REDIRECT_REFUSED: registry('a token server answered with a redirect'),
  REALM_INVALID: registry('the registry sent an invalid token realm'),
  REALM_REFUSED: registry('the token realm is refused (scheme, userinfo, internal address)'),
  TOKEN_FAILED: registry('the token server failed'),
  NETWORK_ERROR: network('the registry cannot be reached (refused, reset, timed out, TLS)'),
  SCHEME_MISMATCH: network('HTTP was sent to an HTTPS server or the other way round'),
  // credentials
  LOGIN_FAILED: registry('the registry rejected the credentials; nothing was stored'),
  LOGIN_INVALID: usage('empty username or password'),
  LOGIN_CANCELLED: usage('the login prompt was cancelled'),
  LOGIN_NO_REGISTRY: input('no registry is configured: the embedded storage needs no login'),
  USERNAME_REQUIRED: usage('no user name given and no terminal to ask on'),
  PASSWORD_REQUIRED: usage('no password given (empty stdin, or no terminal)'),
  PASSWORD_TOO_LONG: usage('the password on stdin is longer than 64 KiB'),
  CREDENTIALS_INVALID: input('the credentials file of an older version is not valid'),
  CREDENTIAL_HELPER_INVALID: input('a credential helper name is not valid'),
  CREDENTIAL_HELPER_FAILED: input('a Docker credential helper failed or is missing'),
  DOCKER_CONFIG_INVALID: input('a Docker-format auth file is not valid JSON'),
  TOKEN_FILE_EMPTY: input('auth_token_path names an empty file'),
  TOKEN_FILE_UNREADABLE: input('auth_token_path names a file that cannot be read'),
  MCP_TOKEN_REQUIRED: usage(
    'the MCP server was asked to listen on a non-loopback address without --token-file',
  ),
  MCP_WRITES_DISABLED: usage('an MCP tool that writes was called on a server started without --allow-writes'),
  // signing and the trust policy (docs/signing.md)
  KEY_NOT_FOUND: input('a signing key file that was named does not exist'),
  KEY_INVALID: input('a key file is not a cosign/sigstore private key or a SPKI public key PEM'),
  KEY_PASSWORD_WRONG: input('the password does not decrypt the private key file'),
  PASSWORD_MISMATCH: usage('the two passwords typed for a new key differ'),
  SIGNATURE_NOT_FOUND: input('the artifact has no cosign signature (no sha256-<hex>.sig tag)'),
  SIGNATURE_KEY_MISMATCH: input('no signature on the artifact was made by the given or trusted keys'),
  SIGNATURE_PAYLOAD_INVALID: input('a signature payload is not a valid simple-signing document'),
  SIGNATURE_DIGEST_MISMATCH: input(
    'the signature signs another manifest digest (the tag moved since signing)',
  ),
  SIGNATURE_IDENTITY_MISMATCH: input('the signature was made for another repository (namespace/name)'),
  SIGNATURE_IDENTITY_REQUIRED: usage(
    'a bare oci-layout: reference needs --identity NAMESPACE/NAME to be signed',
  ),
  SIGNATURE_REFUSED: input('the verify policy refused one or more modules or platform images (each named)'),
  // git sources (docs/sources.md, "Git sources")
  GIT_MISSING: input('the `git` binary, which git sources need, is not installed'),
  GIT_REPOSITORY_MISSING: input('the git server has no such repository (or does not export it)'),
  GIT_AUTH_FAILED: registry('the git server wants credentials, or refused those of the credential helper'),
  GIT_TAG_MOVED: registry('a release tag points at another commit than the lockfile records'),
  GIT_FAILED: registry('git failed talking to the server (its last line is in the message)'),
  // releases (docs/releasing.md)
  RELEASE_TAG_INVALID: usage('a release tag is not {type}s/{name}/v{version} (or no tag was named)'),
  RELEASE_TAG_NOT_FOUND: input('the repository has no such tag'),
  RELEASE_TAG_NOT_AT_HEAD: input('the release tag names another commit than the one checked out'),
  RELEASE_TREE_DIRTY: input("the extension's directory has uncommitted changes"),
  RELEASE_MANIFEST_MISMATCH: input(
    "manifest.yaml's name, type or version differs from the tag's (both named)",
  ),
  RELEASE_TESTS_FAILED: input("the extension's checks failed; nothing was published"),
  EXTENSION_TESTS_FAILED: input('one or more changed extensions failed their checks (each named)'),
  RELEASE_INCOMPLETE: aggregate('some of several releases failed (the first is named)'),
  // platform app images (docs/platform.md, "Images")
  APP_BUNDLE_MISSING: input("the platform app's built bundle (or its entry file) is not there"),
  BASE_IMAGE_INVALID: input('the --base reference is not a container image for the wanted platform'),
  LAYER_SOURCE_INVALID: input('a directory to pack as an image layer holds links or special files'),
  // the local registry
  REGISTRY_NOT_RUNNING: network('the registry `oci-registry start` recorded no longer answers'),
  REGISTRY_ALREADY_RUNNING: input('a local registry is already running'),
  REGISTRY_BACKEND_MISSING: input('the registry backend binary is not installed'),
  REGISTRY_PORT_BUSY: input('the port is already in use'),
  REGISTRY_PORT_UNAVAILABLE: input('the port cannot be listened on'),
  REGISTRY_START_FAILED: input('the local registry could not be started'),
  REGISTRY_START_TIMEOUT: input('the local registry did not answer in time'),
  REGISTRY_STATE_INVALID: input('the local registry state file is not valid'),
  REGISTRY_STOP_FAILED: internal('the local registry did not stop'),
  // the environment
  DISK_FULL: input('no space left (or the quota is spent) on the disk holding the named path'),
  PERMISSION_DENIED: input('the named path cannot be written: permissions'),
  READ_ONLY_FILE_SYSTEM: input('the named path is on a read-only file system'),
  INTERNAL: internal('a bug: please report it with the output of --debug'),
  // the platform API gateway (docs/platform.md, "API gateway")
  API_REQUEST_INVALID: usage(
    "an API request's query or body does not fit its schema (the message names the field)",
  ),
  API_UNAUTHORIZED: usage('an API request lacks the bearer token the gateway was started with'),
  API_BODY_TOO_LARGE: usage('an API request body is larger than 64 KiB'),
  API_NOT_FOUND: usage('no API route of that path'),
  API_TOKEN_REQUIRED: usage('the API gateway binds a non-loopback host without --token-file'),
  UI_NOT_BUILT: usage('platform ui found no built control-center UI (apps/control-center/dist)'),
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

/**
 * The kind an error with `code` has: the catalogue's, except for aggregates, which take the kind
 * of their first failure (`given`); a code outside the catalogue keeps `given`.
 */
export function kindOfCode(code: string, given?: ErrorKind): ErrorKind | undefined {
  if (!isErrorCode(code)) return given;
  const entry: CatalogueEntry = ERROR_CATALOGUE[code];
  return entry.ofFirstFailure && given ? given : entry.kind;
}

/** The catalogue as the Markdown page `docs/errors.md`. */
export function errorCatalogueMarkdown(): string {
  const exit: Record<ErrorKind, number> = { input: 1, usage: 2, registry: 3, network: 3, internal: 1 };
  const rows = (Object.entries(ERROR_CATALOGUE) as [ErrorCode, CatalogueEntry][])
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(
      ([code, { kind, meaning }]) =>
        `| \`${code}\` | ${kind} | ${exit[kind]} | ${meaning.replaceAll('|', '\\|')} |`,
    );
  return [
    '# Error codes',
    '',
    '<!-- generated from packages/schemas/src/error-catalogue.ts by `node scripts/generate-error-docs.mjs`; do not edit -->',
    '',
    'Every failure prints `error: MESSAGE` and `  hint: WHAT TO DO` on stderr (or `{"error": {"code": …}}`',
    'with `--json`) and exits with the status of its kind: input 1, usage 2, registry and network 3,',
    'internal 1. The same failure has the same code on the embedded storage, the built-in server and a',
    'remote registry. docs/troubleshooting.md explains the common ones.',
    '',
    '| code | kind | exit | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
