import { createDocs, ModuleCreate } from '../../lifecycle/create-command.js';

const docs = createDocs('provider');

export default class ProviderCreate extends ModuleCreate {
  static override moduleType = 'provider' as const;
  static override summary = docs.summary;
  static override description = docs.description;
  static override examples = docs.examples;
}
