import { z } from 'zod';
import { extensionName, nonEmptyString, semverRange, semverString } from './zod-validators.js';

/**
 * An extension's `manifest.yaml` (seed "Extension Manifest"). Its canonical JSON is the artifact's
 * config blob, from which the resolver reads `dependencies` and `min_provisioning_version`.
 * Required: name, type, version; `description` is strongly recommended (see `manifestWarnings`).
 */

export const EXTENSION_TYPES = ['provider', 'taskserv', 'cluster'] as const;
export type ExtensionType = (typeof EXTENSION_TYPES)[number];

const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;

const httpUrl = (description: string) =>
  z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://example.com' })
    .describe(description);

export const extensionManifestSchema = z
  .strictObject({
    name: extensionName('extension name: one repository path component, e.g. kubernetes'),
    type: z.enum(EXTENSION_TYPES).describe('extension type'),
    version: semverString('the extension version, semver without a leading "v", e.g. 1.28.0'),
    description: nonEmptyString('one-line description').optional(),
    author: nonEmptyString('author or team').optional(),
    license: nonEmptyString('SPDX licence expression, e.g. MIT').optional(),
    homepage: httpUrl('project homepage').optional(),
    repository: z
      .url({
        protocol: /^(?:https?|git|ssh|git\+ssh|git\+https)$/,
        error: 'expected a repository URL (https://, git://, ssh://)',
      })
      .describe('source repository URL')
      .optional(),
    dependencies: z
      .record(
        extensionName('name of the extension depended on'),
        semverRange('npm semver range, e.g. ">=1.7.0"'),
      )
      .describe('extensions this one needs, name → semver range')
      .optional(),
    tags: z.array(nonEmptyString('search keyword')).describe('search keywords').optional(),
    platforms: z
      .array(
        z
          .string()
          .regex(PLATFORM, 'expected a platform as os/arch or os/arch/variant, e.g. linux/amd64')
          .describe('os/arch[/variant]'),
      )
      .describe('platforms the extension supports')
      .optional(),
    min_provisioning_version: semverString(
      'oldest provisioning core this extension works with, e.g. 3.0.0',
    ).optional(),
  })
  .superRefine((manifest, ctx) => {
    if (manifest.dependencies !== undefined && Object.hasOwn(manifest.dependencies, manifest.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['dependencies', manifest.name],
        message: `an extension cannot depend on itself ("${manifest.name}")`,
      });
    }
  })
  .describe('provisioning extension manifest (manifest.yaml)');

export type ExtensionManifest = z.infer<typeof extensionManifestSchema>;

/** Advice for a valid manifest that is still missing something users rely on. */
export function manifestWarnings(manifest: ExtensionManifest): string[] {
  const warnings: string[] = [];
  if (manifest.description === undefined)
    warnings.push('manifest.yaml has no description: add a one-line summary');
  if (manifest.license === undefined)
    warnings.push('manifest.yaml has no license: add an SPDX expression such as MIT');
  return warnings;
}
