import { z } from 'zod';
import { EXTENSION_TYPES } from './manifest.js';
import {
  digestString,
  extensionName,
  nonEmptyString,
  referenceString,
  semverString,
} from './zod-validators.js';

/**
 * `config/provisioning.lock`: what `dep resolve` installed, pinned by digest, so that `--frozen`
 * reinstalls exactly this without asking a registry anything.
 */

export const LOCKFILE_VERSION = 1;
export const LOCK_SOURCES = ['oci', 'local', 'oci-layout', 'git'] as const;
export type LockSource = (typeof LOCK_SOURCES)[number];

export const lockedModuleSchema = z.strictObject({
  type: z.enum(EXTENSION_TYPES),
  version: semverString('resolved version'),
  reference: referenceString('full reference the module was fetched from'),
  manifest_digest: digestString('digest of the OCI manifest'),
  layer_digest: digestString('digest of the content layer (tar+gzip)'),
  source: z.enum(LOCK_SOURCES),
  signature_digest: digestString(
    'the signature manifest (sha256-<hex>.sig) accepted by the verify policy',
  ).optional(),
  git: z
    .strictObject({
      url: nonEmptyString('repository URL the module was fetched from (never with credentials)'),
      tag: z
        .string()
        .regex(
          /^(?:providers|taskservs|clusters)\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*\/v[0-9A-Za-z.+-]+$/,
          'a release tag {type}s/{name}/v{version}',
        )
        .describe('release tag, {type}s/{name}/v{version}'),
      commit: z
        .string()
        .regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'a full commit id (40 or 64 lowercase hex digits)')
        .describe('commit the tag pointed at when the module was locked'),
    })
    .describe('where a git-sourced module came from; a moved tag is refused (docs/sources.md)')
    .optional(),
  dependencies: z
    .record(extensionName('dependency name'), semverString('the dependency version chosen'))
    .describe('resolved dependencies, name → version'),
});

export const lockedImageSchema = z.strictObject({
  reference: referenceString('image reference as configured'),
  digest: digestString('manifest digest the reference resolved to'),
  signature_digest: digestString('the signature manifest accepted by the verify policy').optional(),
});

export const lockfileSchema = z
  .strictObject({
    lockfile_version: z.literal(LOCKFILE_VERSION),
    core: z.strictObject({
      version: semverString('core (CLI) version the lock was made with'),
      // absent in older lockfiles, and when the core did not come from a registry
      digest: digestString(
        'manifest digest of the pinned core release (docs/releasing.md, "Core")',
      ).optional(),
    }),
    modules: z.record(extensionName('module name'), lockedModuleSchema),
    platform: z.strictObject({ images: z.record(z.string().min(1), lockedImageSchema) }).optional(),
  })
  .describe('provisioning lockfile (config/provisioning.lock)');

export type LockedModule = z.infer<typeof lockedModuleSchema>;
export type LockedImage = z.infer<typeof lockedImageSchema>;
export type Lockfile = z.infer<typeof lockfileSchema>;
