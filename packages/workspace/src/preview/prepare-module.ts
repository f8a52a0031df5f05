/**
 * One module made ready to run: its layer unpacked (verified) into a work directory, its values
 * (`defaults.yaml` deep-merged with the infra's section for it) and its templates rendered with them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unpackExtension } from '@provisioning/packager';
import { parseYamlData } from '@provisioning/schemas';
import type { ExtensionArtifact, ExtensionSource } from '../source/extension-source.js';
import { deepMerge, isMapping, type RenderedTemplate, renderTemplates } from './render-templates.js';

export interface PreparedModule {
  /** The unpacked extension tree. */
  dir: string;
  values: Record<string, unknown>;
  rendered: RenderedTemplate[];
}

export async function prepareModule(
  source: ExtensionSource,
  artifact: ExtensionArtifact,
  override: Record<string, unknown>,
  dir: string,
): Promise<PreparedModule> {
  await source.ensureLayer(artifact);
  await unpackExtension(await source.openLayer(artifact), dir, { expectedDigest: artifact.layer.digest });
  const defaultsText = await readFile(join(dir, 'defaults.yaml'), 'utf8').catch(() => '{}');
  const defaultsFile = `${artifact.reference}: defaults.yaml`;
  const defaults = parseYamlData(defaultsText, { file: defaultsFile }) ?? {};
  const values = deepMerge(isMapping(defaults) ? (defaults as Record<string, unknown>) : {}, override);
  const rendered = await renderTemplates(join(dir, 'templates'), values);
  return { dir, values, rendered };
}
