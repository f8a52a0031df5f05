import { listDocs, ModuleList } from '../../lifecycle/list-command.js';

const docs = listDocs('provider');

export default class ProviderList extends ModuleList {
  static override moduleType = 'provider' as const;
  static override summary = docs.summary;
  static override description = docs.description;
  static override examples = docs.examples;
}
