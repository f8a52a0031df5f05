import { deleteDocs, ModuleDelete } from '../../lifecycle/delete-command.js';

const docs = deleteDocs('taskserv');

export default class TaskservDelete extends ModuleDelete {
  static override moduleType = 'taskserv' as const;
  static override summary = docs.summary;
  static override description = docs.description;
  static override examples = docs.examples;
}
