import type { ConfigSource, EffectiveConfig, Sourced } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { type BlockEntry, renderAnnotatedBlock } from '../../render/annotated-block.js';

interface SourceInfo {
  source: ConfigSource;
  origin: string;
}

/** `--json` output: the seed's shape plus extra settings and where each value came from. */
export interface OciConfigOutput {
  tool: 'provisioning';
  registry: string;
  namespace: { extensions: string; platform: string; kcl: string; test: string };
  cache_dir: string;
  tls_enabled: boolean;
  insecure: boolean;
  /** Registry timeout in milliseconds (`--timeout`, `PROVISIONING_TIMEOUT`). */
  timeout_ms: number;
  auth_token_path: string | null;
  registry_type: 'oci' | 'oci-layout';
  layout_path: string;
  /** Git server of `source_type: gitea` and `gitea://` (docs/sources.md); only when set. */
  gitea_url?: string;
  workspace: string | null;
  home: string;
  /** Upstream host → its mirrors in the order reads try them (`dependencies.registry.mirrors`). */
  mirrors: Record<string, string[]>;
  sources: {
    tool: SourceInfo;
    registry: SourceInfo;
    namespace: { extensions: SourceInfo; platform: SourceInfo; kcl: SourceInfo; test: SourceInfo };
    cache_dir: SourceInfo;
    tls_enabled: SourceInfo;
    insecure: SourceInfo;
    timeout_ms: SourceInfo;
    auth_token_path: SourceInfo;
    registry_type: SourceInfo;
    layout_path: SourceInfo;
    gitea_url?: SourceInfo;
    workspace: SourceInfo;
    home: SourceInfo;
    /** Per upstream: the file that configured its mirrors. */
    mirrors: Record<string, SourceInfo>;
  };
}

export default class OciConfig extends BaseCommand<typeof OciConfig> {
  static override summary = 'Show the effective OCI configuration and where each value comes from';
  static override description =
    'Layers built-in defaults, $PROVISIONING_HOME/config.yaml, the workspace config/provisioning.yaml, ' +
    'PROVISIONING_* environment variables and flags (later wins), and shows each value with its source.';
  static override examples = ['<%= config.bin %> oci config', '<%= config.bin %> oci config --json'];

  async run(): Promise<OciConfigOutput> {
    const output = toOutput(await this.effectiveConfig());
    if (!this.isJson) this.log(renderHuman(output));
    return output;
  }
}

function info<T>(value: Sourced<T>): SourceInfo {
  return { source: value.source, origin: value.origin };
}

function toOutput(config: EffectiveConfig): OciConfigOutput {
  const ns = config.namespaces;
  return {
    tool: 'provisioning',
    registry: config.registry.value,
    namespace: {
      extensions: ns.extensions.value,
      platform: ns.platform.value,
      kcl: ns.kcl.value,
      test: ns.test.value,
    },
    cache_dir: config.cacheDir.value,
    tls_enabled: config.tlsEnabled.value,
    insecure: config.insecure.value,
    timeout_ms: config.timeout.value,
    auth_token_path: config.authTokenPath.value ?? null,
    registry_type: config.registryType.value,
    layout_path: config.layoutPath.value,
    ...(config.giteaUrl.value ? { gitea_url: config.giteaUrl.value } : {}),
    workspace: config.workspace.value ?? null,
    home: config.home.value,
    mirrors: Object.fromEntries(
      Object.entries(config.mirrors).map(([upstream, list]) => [
        upstream,
        list.value.map((m) => (m.tls === undefined ? m.host : `${m.tls ? 'https' : 'http'}://${m.host}`)),
      ]),
    ),
    sources: {
      tool: { source: 'default', origin: 'built-in' },
      registry: info(config.registry),
      namespace: {
        extensions: info(ns.extensions),
        platform: info(ns.platform),
        kcl: info(ns.kcl),
        test: info(ns.test),
      },
      cache_dir: info(config.cacheDir),
      tls_enabled: info(config.tlsEnabled),
      insecure: info(config.insecure),
      timeout_ms: info(config.timeout),
      auth_token_path: info(config.authTokenPath),
      registry_type: info(config.registryType),
      layout_path: info(config.layoutPath),
      ...(config.giteaUrl.value ? { gitea_url: info(config.giteaUrl) } : {}),
      workspace: info(config.workspace),
      home: info(config.home),
      mirrors: Object.fromEntries(
        Object.entries(config.mirrors).map(([upstream, list]) => [upstream, info(list)]),
      ),
    },
  };
}

function note({ source, origin }: SourceInfo): string {
  if (source !== 'default') return `${source}: ${origin}`;
  // Defaults that depend on something say why: "built-in: plain HTTP for loopback registries".
  return origin.startsWith('built-in: ') ? `default (${origin.slice('built-in: '.length)})` : 'default';
}

function renderHuman(out: OciConfigOutput): string {
  const s = out.sources;
  const entries: BlockEntry[] = [
    { key: 'tool', value: out.tool, note: note(s.tool) },
    { key: 'registry', value: out.registry, note: note(s.registry) },
    {
      key: 'namespace',
      entries: (['extensions', 'platform', 'kcl', 'test'] as const).map((k) => ({
        key: k,
        value: out.namespace[k],
        note: note(s.namespace[k]),
      })),
    },
    { key: 'cache_dir', value: out.cache_dir, note: note(s.cache_dir) },
    { key: 'tls_enabled', value: out.tls_enabled, note: note(s.tls_enabled) },
    { key: 'insecure', value: out.insecure, note: note(s.insecure) },
    { key: 'timeout_ms', value: out.timeout_ms, note: note(s.timeout_ms) },
    { key: 'auth_token_path', value: out.auth_token_path, note: note(s.auth_token_path) },
    { key: 'registry_type', value: out.registry_type, note: note(s.registry_type) },
    { key: 'layout_path', value: out.layout_path, note: note(s.layout_path) },
    ...(out.gitea_url && s.gitea_url
      ? [{ key: 'gitea_url', value: out.gitea_url, note: note(s.gitea_url) }]
      : []),
    { key: 'workspace', value: out.workspace, note: note(s.workspace) },
    { key: 'home', value: out.home, note: note(s.home) },
    mirrorsEntry(out),
  ];
  return renderAnnotatedBlock(entries);
}

/** `mirrors: { "upstream": "mirror-a, mirror-b"  # workspace: FILE }`, or `null` when none are set. */
function mirrorsEntry(out: OciConfigOutput): BlockEntry {
  const upstreams = Object.keys(out.mirrors);
  if (upstreams.length === 0) return { key: 'mirrors', value: null, note: 'default: none' };
  return {
    key: 'mirrors',
    entries: upstreams.map((upstream) => ({
      key: JSON.stringify(upstream),
      value: (out.mirrors[upstream] ?? []).join(', '),
      note: note(out.sources.mirrors[upstream] ?? { source: 'default', origin: 'built-in' }),
    })),
  };
}
