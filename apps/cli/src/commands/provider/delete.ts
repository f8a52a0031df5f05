import { deleteDocs, ModuleDelete } from '../../lifecycle/delete-command.js';

const docs = deleteDocs('provider');

export default class ProviderDelete extends ModuleDelete {
  static override moduleType = 'provider' as const;
  static override summary = docs.summary;
  static override description = docs.description;
  static override examples = docs.examples;
}
