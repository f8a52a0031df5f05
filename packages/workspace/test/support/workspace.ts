/** Test support: a temp workspace with a config listing modules, and settings pointing at temp dirs. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseYaml, type WorkspaceConfig, workspaceConfigSchema } from '@provisioning/schemas';
import type { WorkspaceSettings } from '../../src/settings/workspace-settings.js';

export interface WorkspaceSpec {
  registry: string;
  namespace?: string;
  providers?: string[];
  taskservs?: string[];
  clusters?: string[];
  core?: string;
  images?: Record<string, string>;
  extra?: string;
}

export function configText(spec: WorkspaceSpec): string {
  const ns = spec.namespace ?? 'provisioning-extensions';
  const list = (items: string[] | undefined) => (items ?? []).map((i) => `        - "${i}"`).join('\n');
  const group = (key: string, items: string[] | undefined) =>
    items && items.length > 0 ? `      ${key}:\n${list(items)}\n` : '';
  return `# test workspace
dependencies:
${spec.core ? `  core:\n    source: "${spec.core}"\n` : ''}  extensions:
    source_type: "oci" # where extensions come from
    oci:
      registry: "${spec.registry}"
      namespace: "${ns}"
      tls_enabled: false
    modules:
${group('providers', spec.providers)}${group('taskservs', spec.taskservs)}${group('clusters', spec.clusters)}${
  spec.images
    ? `  platform:\n    images:\n${Object.entries(spec.images)
        .map(([k, v]) => `      ${k}: "${v}"`)
        .join('\n')}\n`
    : ''
}${spec.extra ?? ''}`;
}

export async function writeWorkspace(root: string, spec: WorkspaceSpec): Promise<string> {
  await mkdir(join(root, 'config'), { recursive: true });
  const file = join(root, 'config', 'provisioning.yaml');
  await writeFile(file, configText(spec));
  return file;
}

export function settingsFor(
  root: string,
  configText: string,
  opts: { registry: string; home: string },
): WorkspaceSettings {
  const config: WorkspaceConfig = parseYaml(configText, workspaceConfigSchema, { file: 'provisioning.yaml' });
  return {
    root,
    config,
    registry: opts.registry,
    extensionsNamespace: 'provisioning-extensions',
    platformNamespace: 'provisioning-platform',
    tlsEnabled: false,
    insecure: false,
    cacheDir: join(opts.home, 'oci-cache'),
    registryType: 'oci',
    layoutPath: join(opts.home, 'oci-registry'),
    home: opts.home,
  };
}
