/**
 * Edits of `config/provisioning.yaml` that keep the user's comments and formatting (yaml Document
 * API): add a module reference, or change the tag of one (dep update).
 */
import { readFile } from 'node:fs/promises';
import { ProvisioningError, parseReference, repositoryBasename } from '@provisioning/schemas';
import { isSeq, parseDocument, type Scalar, type YAMLSeq } from 'yaml';
import { writeFileAtomic } from '../install/atomic-write.js';
import type { ExtensionType } from '../install/layout-paths.js';

const GROUP: Record<ExtensionType, string> = {
  provider: 'providers',
  taskserv: 'taskservs',
  cluster: 'clusters',
};

export interface ModuleEdit {
  /** Resulting file text (already written unless dryRun). */
  text: string;
  changed: boolean;
}

/** Replace the reference of module `name` (whatever group it is in) by `reference`. */
export async function setModuleReference(
  configFile: string,
  name: string,
  reference: string,
): Promise<ModuleEdit> {
  const doc = await load(configFile);
  for (const group of Object.values(GROUP)) {
    const seq = doc.getIn(['dependencies', 'extensions', 'modules', group], true);
    if (!isSeq(seq)) continue;
    for (const item of (seq as YAMLSeq<Scalar<string>>).items) {
      const value = String(item.value ?? '');
      if (moduleNameOf(value) === name) {
        if (value === reference) return { text: doc.toString(), changed: false };
        item.value = reference;
        const text = doc.toString();
        await writeFileAtomic(configFile, text);
        return { text, changed: true };
      }
    }
  }
  throw new ProvisioningError('MODULE_NOT_IN_CONFIG', `${name} is not listed in ${configFile}`, {
    kind: 'input',
    hint: 'add it with `provisioning module load TYPE WORKSPACE NAME`',
  });
}

/** Add `reference` to the module list of `type`; replaces an entry for the same module. */
export async function addModuleReference(
  configFile: string,
  type: ExtensionType,
  reference: string,
): Promise<ModuleEdit> {
  const name = moduleNameOf(reference);
  const doc = await load(configFile);
  for (const group of Object.values(GROUP)) {
    const seq = doc.getIn(['dependencies', 'extensions', 'modules', group], true);
    if (!isSeq(seq)) continue;
    for (const item of (seq as YAMLSeq<Scalar<string>>).items) {
      if (moduleNameOf(String(item.value ?? '')) !== name) continue;
      if (group !== GROUP[type]) {
        throw new ProvisioningError(
          'MODULE_DUPLICATE',
          `${name} is already listed under ${group} in ${configFile}`,
          {
            kind: 'input',
            hint: 'remove it there first, or load it with the matching type',
          },
        );
      }
      if (item.value === reference) return { text: doc.toString(), changed: false };
      item.value = reference;
      const text = doc.toString();
      await writeFileAtomic(configFile, text);
      return { text, changed: true };
    }
  }
  const path = ['dependencies', 'extensions', 'modules', GROUP[type]];
  const seq = doc.getIn(path, true);
  if (isSeq(seq)) seq.add(doc.createNode(reference));
  else doc.setIn(path, doc.createNode([reference]));
  const text = doc.toString();
  await writeFileAtomic(configFile, text);
  return { text, changed: true };
}

/** Set a scalar at a key path (e.g. dependencies.extensions.source_type), keeping comments. */
export async function setConfigValue(configFile: string, path: string[], value: string): Promise<boolean> {
  const doc = await load(configFile);
  if (doc.getIn(path) === value) return false;
  doc.setIn(path, value);
  await writeFileAtomic(configFile, doc.toString());
  return true;
}

function moduleNameOf(reference: string): string | undefined {
  try {
    return repositoryBasename(parseReference(reference));
  } catch {
    return undefined;
  }
}

async function load(configFile: string) {
  const text = await readFile(configFile, 'utf8');
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new ProvisioningError('YAML_SYNTAX', `${configFile}: ${doc.errors[0]!.message.split('\n')[0]}`, {
      kind: 'input',
      hint: 'fix the YAML syntax first',
    });
  }
  return doc;
}
