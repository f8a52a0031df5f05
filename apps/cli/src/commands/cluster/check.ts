import { checkDocs, ModuleCheck } from '../../lifecycle/check-command.js';

const docs = checkDocs('cluster');

export default class ClusterCheck extends ModuleCheck {
  static override moduleType = 'cluster' as const;
  static override summary = docs.summary;
  static override description = docs.description;
  static override examples = docs.examples;
}
