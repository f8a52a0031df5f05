import { checkDocs, ModuleCheck } from '../../lifecycle/check-command.js';

const docs = checkDocs('provider');

export default class ProviderCheck extends ModuleCheck {
  static override moduleType = 'provider' as const;
  static override summary = docs.summary;
  static override description = docs.description;
  static override examples = docs.examples;
}
