import { checkDocs, ModuleCheck } from '../../lifecycle/check-command.js';

const docs = checkDocs('taskserv');

export default class TaskservCheck extends ModuleCheck {
  static override moduleType = 'taskserv' as const;
  static override summary = docs.summary;
  static override description = docs.description;
  static override examples = docs.examples;
}
