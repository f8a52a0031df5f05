import { createDocs, ModuleCreate } from '../../lifecycle/create-command.js';

const docs = createDocs('cluster');

export default class ClusterCreate extends ModuleCreate {
  static override moduleType = 'cluster' as const;
  static override summary = docs.summary;
  static override description = docs.description;
  static override examples = docs.examples;
}
