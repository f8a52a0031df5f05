/**
 * `config/provisioning.yaml` of a workspace whose taskservs come from one OCI registry over plain
 * HTTP: the set-up most dep tests share. `taskservs` are `name:version` in `namespace`.
 */
export function ociWorkspaceYaml(host: string, namespace: string, taskservs: readonly string[]): string {
  return `dependencies:
  extensions:
    source_type: "oci"
    oci:
      registry: "${host}"
      namespace: "${namespace}"
      tls_enabled: false
    modules:
      taskservs:
${taskservs.map((t) => `        - "oci://${host}/${namespace}/${t}"`).join('\n')}
`;
}
