/**
 * `WORKSPACE/infra/ENV/settings.yaml`: per-infra values of modules, under `taskservs.NAME`,
 * `clusters.NAME` and `providers.NAME` (docs/workspaces.md, "Infra settings").
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ExtensionType, ProvisioningError, parseYamlData } from '@provisioning/schemas';
import { isMapping } from './render-templates.js';

export interface InfraSettings {
  infra: string;
  /** The settings file, absolute. */
  file: string;
  values: Record<string, unknown>;
}

const INFRA_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `--infra ENV` checked as a directory name under `infra/` (never a path). */
export function checkInfraName(infra: string): void {
  if (!INFRA_NAME.test(infra)) {
    throw new ProvisioningError('INFRA_INVALID', `--infra ${JSON.stringify(infra)} is not an infra name`, {
      kind: 'usage',
      hint: 'use the name of a directory under WORKSPACE/infra/',
    });
  }
}

export function infraDir(workspaceRoot: string, infra: string): string {
  checkInfraName(infra);
  return join(workspaceRoot, 'infra', infra);
}

export async function loadInfraSettings(
  workspaceRoot: string,
  infra: string,
  forModule?: { type: ExtensionType; name: string },
): Promise<InfraSettings> {
  const file = join(infraDir(workspaceRoot, infra), 'settings.yaml');
  try {
    await access(file);
  } catch {
    const section = forModule ? ` (${forModule.type} values under ${forModule.type}s.${forModule.name})` : '';
    throw new ProvisioningError('INFRA_NOT_FOUND', `no infra settings ${file}`, {
      kind: 'input',
      hint: `create infra/${infra}/settings.yaml in the workspace${section}`,
    });
  }
  const text = await readFile(file, 'utf8');
  const parsed = parseYamlData(text, { file }) ?? {};
  return { infra, file, values: isMapping(parsed) ? (parsed as Record<string, unknown>) : {} };
}

/** The values a module gets from the infra: `<type>s.<name>`, or none. */
export function moduleOverride(
  settings: InfraSettings,
  type: ExtensionType,
  name: string,
): Record<string, unknown> {
  const section = settings.values[`${type}s`];
  if (!isMapping(section)) return {};
  const values = (section as Record<string, unknown>)[name];
  return isMapping(values) ? (values as Record<string, unknown>) : {};
}
