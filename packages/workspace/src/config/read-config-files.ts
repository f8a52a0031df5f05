import { readFile } from 'node:fs/promises';
import { ProvisioningError } from '@provisioning/schemas';
import { parse } from 'yaml';
import type { ConfigFileShape } from './config-layer.js';

// TEMPORARY until @provisioning/schemas lands loadYamlFile + workspaceConfigSchema/homeConfigSchema:
// plain YAML parsing without schema validation, so commands can be built against BaseCommand now.
export type WorkspaceConfig = ConfigFileShape & Record<string, unknown>;

export async function readWorkspaceConfig(file: string): Promise<WorkspaceConfig> {
  return readConfig(file);
}

export async function readHomeConfig(file: string): Promise<ConfigFileShape> {
  return readConfig(file);
}

async function readConfig(file: string): Promise<WorkspaceConfig> {
  try {
    return (parse(await readFile(file, 'utf8')) ?? {}) as WorkspaceConfig;
  } catch (err) {
    throw new ProvisioningError('YAML_SYNTAX', `${file}: ${(err as Error).message.split('\n')[0]}`, {
      kind: 'input',
      hint: 'fix the YAML syntax',
      cause: err,
    });
  }
}
