import type { ListedExtension } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { renderTable } from '../../render/table.js';

export interface OciListOutput {
  registry: string;
  namespace: string;
  extensions: ListedExtension[];
}

export default class OciList extends BaseCommand<typeof OciList> {
  static override summary = 'List the extensions in a namespace of the registry';
  static override description =
    'Reads the registry catalog, keeps the repositories under the namespace (--namespace, default the ' +
    'extensions namespace) and shows each with its newest version. Registries that do not allow the catalog ' +
    'are reported as such.';
  static override examples = [
    '<%= config.bin %> oci list',
    '<%= config.bin %> oci list --namespace provisioning-extensions --json',
  ];

  async run(): Promise<OciListOutput> {
    const { listExtensions, otherNamespaces, withOciSession } = await import('@provisioning/workspace');
    const config = await this.effectiveConfig();
    const namespace = config.namespaces.extensions.value;
    const { extensions, elsewhere } = await withOciSession(config, {}, async (session) => {
      const extensions = await listExtensions(session);
      return {
        extensions,
        elsewhere: extensions.length === 0 ? await otherNamespaces(session, namespace) : undefined,
      };
    });
    const output = {
      registry: config.registry.value,
      namespace,
      extensions,
    };
    if (elsewhere && elsewhere.namespaces.length > 0) {
      // an empty answer is not an error (exit 0), but a mistyped --namespace must not look like one
      const shown = elsewhere.namespaces.slice(0, 5).join(', ');
      this.logToStderr(
        elsewhere.closest
          ? `  hint: did you mean --namespace ${elsewhere.closest}? (namespaces with content: ${shown})`
          : `  hint: namespaces with content: ${shown}`,
      );
    }
    if (!this.isJson) {
      this.log(
        extensions.length === 0
          ? `no extensions under ${output.registry}/${output.namespace}`
          : renderTable(
              extensions.map((e) => ({ artifact: e.name, latest: e.latest ?? '', reference: e.reference })),
              ['artifact', { key: 'latest', header: 'latest version' }, 'reference'],
            ),
      );
      await this.logStorage([`${output.registry}/${output.namespace}`]);
    }
    return output;
  }
}
