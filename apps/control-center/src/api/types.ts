// Response shapes of the platform REST API (docs/platform.md, "REST API"); snake_case as sent.
export interface Namespace {
  name: string;
  extension_count: number;
}
export interface ExtensionSummary {
  namespace: string;
  name: string;
  type: string | null;
  description: string | null;
  latest_version: string | null;
  tags: string[];
  reference: string;
}
export interface Dependency {
  name: string;
  constraint: string;
  optional: boolean;
}
export interface SignatureInfo {
  status: 'verified' | 'signed' | 'unsigned' | 'invalid';
  signatures: { digest: string; key_id?: string }[];
}
export interface ExtensionDetail {
  namespace: string;
  name: string;
  type: string | null;
  version: string;
  versions: string[];
  description: string | null;
  digest: string;
  reference: string;
  readme: string | null;
  dependencies: Dependency[];
  signature: SignatureInfo;
}
export interface GraphNode {
  id: string;
  name: string;
  version: string;
  type: string | null;
}
export interface GraphEdge {
  from: string;
  to: string;
  constraint: string;
}
export interface Tree {
  root: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}
export type ResolveResult =
  | {
      ok: true;
      modules: { name: string; version: string; type: string | null; digest: string; reference: string }[];
      edges: GraphEdge[];
    }
  | { ok: false; code: string; explanation: string; lines: string[] };
export interface Workspace {
  name: string;
  root: string;
  config_file: string;
  modules: {
    name: string;
    version: string;
    constraint: string;
    required_by: string[];
    digest: string;
    type: string | null;
    installed: boolean;
  }[];
  lock: { file: string; modules: number; core_version?: string };
  generation: { current: number | null; count: number };
  drift: { module: string; kind: string; detail: string }[];
  history: {
    generation: number;
    time: string;
    command: string;
    current: boolean;
    modules: { name: string; version: string }[];
  }[];
  signatures: { module: string; status: string }[];
}
export interface Why {
  module: string;
  version: string;
  explanation: string;
  lines: string[];
}
