import { yamlSchemaModeline } from '@provisioning/schemas';
import { isLoopbackRegistry } from '../config/registry-host.js';

export interface WorkspaceTemplateOptions {
  /** Shown in the header comment. */
  name: string;
  /** `host[:port]` of the extensions registry. */
  registry: string;
  /** The running core's version, pinned in `dependencies.core.source`. */
  coreVersion: string;
  /** `tls_enabled`; default: plain HTTP for loopback registries only. */
  tls?: boolean;
  /** Module references to list (the example's modules with `--from-example`). */
  modules?: { providers: string[]; taskservs: string[]; clusters: string[] };
}

/** The seed's "Workspace Configuration" file, with its comments and the editor modeline. */
export function workspaceConfigText(options: WorkspaceTemplateOptions): string {
  const { name, registry, coreVersion } = options;
  const tls = options.tls ?? !isLoopbackRegistry(registry);
  const list = (refs: string[] | undefined) =>
    refs === undefined || refs.length === 0 ? ' []' : `\n${refs.map((r) => `        - "${r}"`).join('\n')}`;
  return `${yamlSchemaModeline('workspace')}
# Workspace ${name}: extensions, platform images and the registry they come from.
# Add modules with \`provisioning module load TYPE . NAME\`, then run \`provisioning dep resolve\`.

# Core system dependency
dependencies:
  core:
    source: "oci://${registry}/provisioning-core:v${coreVersion}"

  # Extensions repository configuration
  extensions:
    source_type: "oci" # oci, local

    # OCI registry configuration
    oci:
      registry: "${registry}"
      namespace: "provisioning-extensions"
      tls_enabled: ${tls}

    # Loaded extension modules
    modules:
      providers:${list(options.modules?.providers)}
      taskservs:${list(options.modules?.taskservs)}
      clusters:${list(options.modules?.clusters)}

  # OCI registry configuration
  registry:
    type: "oci"
    oci:
      endpoint: "${registry}"
      namespaces:
        extensions: "provisioning-extensions"
        kcl: "provisioning-kcl"
        platform: "provisioning-platform"
        test: "provisioning-test"
`;
}
