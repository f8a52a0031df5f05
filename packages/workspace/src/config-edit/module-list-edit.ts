/**
 * Edits of `config/provisioning.yaml` that keep the user's comments and formatting (yaml Document
 * API): add a module reference, or change the tag of one (dep update).
 */
import { readFile } from 'node:fs/promises';
import {
  isGitModuleReference,
  ProvisioningError,
  parseGitModuleReference,
  parseReference,
  repositoryBasename,
  writeFileAtomic,
} from '@provisioning/schemas';
import { isSeq, parseDocument, type Scalar, type YAMLSeq } from 'yaml';
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

/**
 * An edit of `config/provisioning.yaml` held in memory: change it as often as needed, read the
 * result with `text`, and write it once, atomically, with `commit()` — so a command that fails
 * between its edits and its last step leaves the file as it was.
 */
export class ConfigDraft {
  private constructor(
    readonly configFile: string,
    private readonly original: string,
    private readonly doc: ReturnType<typeof parseDocument>,
  ) {}

  static async open(configFile: string): Promise<ConfigDraft> {
    const text = await readFile(configFile, 'utf8');
    return new ConfigDraft(configFile, text, parseConfig(configFile, text));
  }

  get text(): string {
    // as close to how the file was written as yaml can print it: no folding of long lines, and flow
    // lists (`taskservs: ["…"]`) stay on one line, with the bracket padding the file used
    return this.doc.toString({ lineWidth: 0, flowCollectionPadding: /[[{] \S/.test(this.original) });
  }

  get changed(): boolean {
    return this.text !== this.original;
  }

  /** Write the edited file (atomically); false when nothing changed. */
  async commit(): Promise<boolean> {
    if (!this.changed) return false;
    await writeFileAtomic(this.configFile, this.text);
    return true;
  }

  /** Replace the reference of module `name` (whatever group it is in) by `reference`. */
  setModuleReference(name: string, reference: string): boolean {
    for (const group of Object.values(GROUP)) {
      const seq = this.doc.getIn(['dependencies', 'extensions', 'modules', group], true);
      if (!isSeq(seq)) continue;
      for (const item of (seq as YAMLSeq<Scalar<string>>).items) {
        const value = String(item.value ?? '');
        if (moduleNameOf(value) === name) {
          const written = inFormOf(value, reference);
          if (value === written) return false;
          item.value = written;
          return true;
        }
      }
    }
    throw new ProvisioningError('MODULE_NOT_IN_CONFIG', `${name} is not listed in ${this.configFile}`, {
      kind: 'input',
      hint: 'add it with `provisioning module load TYPE WORKSPACE NAME`',
    });
  }

  /** Add `reference` to the module list of `type`; replaces an entry for the same module. */
  addModuleReference(type: ExtensionType, reference: string): boolean {
    const name = moduleNameOf(reference);
    for (const group of Object.values(GROUP)) {
      const seq = this.doc.getIn(['dependencies', 'extensions', 'modules', group], true);
      if (!isSeq(seq)) continue;
      for (const item of (seq as YAMLSeq<Scalar<string>>).items) {
        if (moduleNameOf(String(item.value ?? '')) !== name) continue;
        if (group !== GROUP[type]) {
          throw new ProvisioningError(
            'MODULE_DUPLICATE',
            `${name} is already listed under ${group} in ${this.configFile}`,
            { kind: 'input', hint: 'remove it there first, or load it with the matching type' },
          );
        }
        const written = inFormOf(String(item.value ?? ''), reference);
        if (item.value === written) return false;
        item.value = written;
        return true;
      }
    }
    const path = ['dependencies', 'extensions', 'modules', GROUP[type]];
    const seq = this.doc.getIn(path, true);
    if (isSeq(seq)) seq.add(this.likeSiblings(seq as YAMLSeq<Scalar<string>>, reference));
    else this.doc.setIn(path, this.doc.createNode([reference]));
    return true;
  }

  /** Remove module `name` from whatever group lists it; false when none does. */
  removeModuleReference(name: string): boolean {
    for (const group of Object.values(GROUP)) {
      const seq = this.doc.getIn(['dependencies', 'extensions', 'modules', group], true);
      if (!isSeq(seq)) continue;
      const items = (seq as YAMLSeq<Scalar<string>>).items;
      const index = items.findIndex((item) => moduleNameOf(String(item.value ?? '')) === name);
      if (index >= 0) {
        items.splice(index, 1);
        return true;
      }
    }
    return false;
  }

  /** A new list item written the way the others are: `oci://` or not, quoted the same way. */
  private likeSiblings(seq: YAMLSeq<Scalar<string>>, reference: string): Scalar<string> {
    const sibling = seq.items.find((item) => typeof item?.value === 'string');
    const written = sibling ? inFormOf(String(sibling.value), reference) : reference;
    const node = this.doc.createNode(written) as Scalar<string>;
    if (sibling?.type) node.type = sibling.type;
    return node;
  }

  /** Set a scalar at a key path (e.g. dependencies.extensions.source_type), keeping comments. */
  setValue(path: string[], value: string): boolean {
    if (this.doc.getIn(path) === value) return false;
    this.doc.setIn(path, value);
    return true;
  }
}

/** Replace the reference of module `name` in the file (one atomic write). */
export async function setModuleReference(
  configFile: string,
  name: string,
  reference: string,
): Promise<ModuleEdit> {
  const draft = await ConfigDraft.open(configFile);
  draft.setModuleReference(name, reference);
  const changed = await draft.commit();
  return { text: draft.text, changed };
}

/** Add `reference` to the module list of `type` in the file (one atomic write). */
export async function addModuleReference(
  configFile: string,
  type: ExtensionType,
  reference: string,
): Promise<ModuleEdit> {
  const draft = await ConfigDraft.open(configFile);
  draft.addModuleReference(type, reference);
  const changed = await draft.commit();
  return { text: draft.text, changed };
}

/** Set a scalar at a key path in the file (one atomic write). */
export async function setConfigValue(configFile: string, path: string[], value: string): Promise<boolean> {
  const draft = await ConfigDraft.open(configFile);
  draft.setValue(path, value);
  return draft.commit();
}

function moduleNameOf(reference: string): string | undefined {
  try {
    if (isGitModuleReference(reference)) return parseGitModuleReference(reference).name;
    return repositoryBasename(parseReference(reference));
  } catch {
    return undefined;
  }
}

function parseConfig(configFile: string, text: string) {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new ProvisioningError('YAML_SYNTAX', `${configFile}: ${doc.errors[0]!.message.split('\n')[0]}`, {
      kind: 'input',
      hint: 'fix the YAML syntax first',
    });
  }
  return doc;
}

/** `reference` written like `model`: with `oci://` in front when `model` has it. */
function inFormOf(model: string, reference: string): string {
  if (isGitModuleReference(reference)) return reference;
  return model.startsWith('oci://') && !reference.startsWith('oci://') ? `oci://${reference}` : reference;
}
