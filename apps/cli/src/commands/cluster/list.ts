import { listDocs, ModuleList } from '../../lifecycle/list-command.js';

const docs = listDocs('cluster');

export default class ClusterList extends ModuleList {
  static override moduleType = 'cluster' as const;
  static override summary = docs.summary;
  static override description = docs.description;
  static override examples = docs.examples;
}
