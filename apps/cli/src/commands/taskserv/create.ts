import { createDocs, ModuleCreate } from '../../lifecycle/create-command.js';

const docs = createDocs('taskserv');

export default class TaskservCreate extends ModuleCreate {
  static override moduleType = 'taskserv' as const;
  static override summary = docs.summary;
  static override description = docs.description;
  static override examples = docs.examples;
}
