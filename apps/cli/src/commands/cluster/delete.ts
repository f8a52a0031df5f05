import { deleteDocs, ModuleDelete } from '../../lifecycle/delete-command.js';

const docs = deleteDocs('cluster');

export default class ClusterDelete extends ModuleDelete {
  static override moduleType = 'cluster' as const;
  static override summary = docs.summary;
  static override description = docs.description;
  static override examples = docs.examples;
}
