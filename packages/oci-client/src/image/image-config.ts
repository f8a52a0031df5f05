/**
 * The image configuration (image-spec `config.md`): reading a base's, and deriving the new one
 * with an extra layer. Unknown keys of the base are kept as they are, in their order.
 */
import { ProvisioningError } from '@provisioning/schemas';

export interface ImageConfig {
  created?: string;
  architecture?: string;
  os?: string;
  variant?: string;
  config?: ContainerConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: HistoryEntry[];
  [key: string]: unknown;
}

export interface ContainerConfig {
  Env?: string[];
  Entrypoint?: string[];
  Cmd?: string[];
  WorkingDir?: string;
  Labels?: Record<string, string>;
  [key: string]: unknown;
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** What the build puts on top of the base's configuration. */
export interface ConfigChanges {
  diffId: string;
  entrypoint: string[];
  /** `KEY=VALUE`; replaces the base's value of KEY. */
  env?: string[];
  labels?: Record<string, string>;
  workingDir?: string;
  /** ISO time for `created` and the history entry (reproducible: from SOURCE_DATE_EPOCH). */
  created: string;
  /** The history entry's `created_by`. */
  createdBy: string;
}

/** Parses and checks a base's config blob; `where` names it in errors. */
export function parseImageConfig(bytes: Uint8Array, layerCount: number, where: string): ImageConfig {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw invalidBase(where, 'its config is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidBase(where, 'its config is not a JSON object');
  }
  const config = value as ImageConfig;
  const diffIds = config.rootfs?.diff_ids;
  if (
    config.rootfs?.type !== 'layers' ||
    !Array.isArray(diffIds) ||
    !diffIds.every((d) => typeof d === 'string')
  ) {
    throw invalidBase(where, 'its config has no rootfs.diff_ids');
  }
  if (diffIds.length !== layerCount) {
    throw invalidBase(where, `its config lists ${diffIds.length} diff_ids for ${layerCount} layers`);
  }
  if (config.config !== undefined && (typeof config.config !== 'object' || config.config === null)) {
    throw invalidBase(where, 'its config.config is not an object');
  }
  return config;
}

/**
 * The base config with one more layer: its diff_id appended, a history entry when the base keeps
 * history, Entrypoint set and Cmd dropped (as a Dockerfile ENTRYPOINT does), Env and Labels merged.
 */
export function deriveImageConfig(base: ImageConfig, changes: ConfigChanges): ImageConfig {
  const container: ContainerConfig = { ...(base.config ?? {}) };
  container.Env = mergeEnv(Array.isArray(container.Env) ? container.Env : [], changes.env ?? []);
  container.Entrypoint = [...changes.entrypoint];
  delete container.Cmd;
  if (changes.workingDir !== undefined) container.WorkingDir = changes.workingDir;
  const labels = { ...(isRecord(container.Labels) ? container.Labels : {}), ...(changes.labels ?? {}) };
  container.Labels = Object.fromEntries(
    Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const derived: ImageConfig = {
    ...base,
    created: changes.created,
    config: container,
    rootfs: { type: 'layers', diff_ids: [...base.rootfs.diff_ids, changes.diffId] },
  };
  if (Array.isArray(base.history)) {
    derived.history = [...base.history, { created: changes.created, created_by: changes.createdBy }];
  }
  return derived;
}

/** Later entries win, in the place of the first one with that key (as a Dockerfile ENV does). */
function mergeEnv(base: readonly string[], extra: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const entry of [...base, ...extra]) byKey.set(entry.split('=', 1)[0] as string, entry);
  return [...byKey.values()];
}

function isRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function invalidBase(where: string, why: string): ProvisioningError {
  return new ProvisioningError('BASE_IMAGE_INVALID', `base image ${where} cannot be built on: ${why}`, {
    kind: 'input',
    hint: 'give a container image (e.g. a node image) as --base, not an extension or other artifact',
    details: { base: where },
  });
}
