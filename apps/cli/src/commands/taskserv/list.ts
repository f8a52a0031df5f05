import { listDocs, ModuleList } from '../../lifecycle/list-command.js';

const docs = listDocs('taskserv');

export default class TaskservList extends ModuleList {
  static override moduleType = 'taskserv' as const;
  static override summary = docs.summary;
  static override description = docs.description;
  static override examples = docs.examples;
}
