import { z } from 'zod';
import type { ProvisioningError } from './errors.js';
import { isRepositoryPath, parseGiteaCoreSource } from './git-reference.js';
import { parseReference } from './reference.js';
import {
  moduleReferenceString,
  nonEmptyString,
  referenceString,
  registryEndpoint,
  repositoryPath,
} from './zod-validators.js';

/**
 * `config/provisioning.yaml` of a workspace: every key of the seed's "Workspace Configuration" and
 * "Remote Registry (Harbor)" examples, plus the optional keys later features use. Unknown keys are
 * rejected at every level so that typos surface (with a suggestion) instead of being ignored.
 */

export const SOURCE_TYPES = ['oci', 'gitea', 'local', 'oci-layout'] as const;
export const REGISTRY_TYPES = ['oci', 'gitea', 'http', 'oci-layout'] as const;
export const MODULE_GROUPS = ['providers', 'taskservs', 'clusters'] as const;

export type SourceType = (typeof SOURCE_TYPES)[number];
export type RegistryType = (typeof REGISTRY_TYPES)[number];
export type ModuleGroup = (typeof MODULE_GROUPS)[number];

const flag = (description: string) => z.boolean().describe(description).optional();

/** Where extensions (or platform images) come from in an OCI registry. */
export const ociSourceSchema = z.strictObject({
  registry: registryEndpoint('registry host[:port], e.g. localhost:5000 or harbor.company.com').optional(),
  namespace: repositoryPath('repository namespace, e.g. provisioning-extensions').optional(),
  tls_enabled: flag('use HTTPS (false: plain HTTP, meant for loopback registries)'),
  auth_token_path: nonEmptyString('file holding a bearer token for the registry').optional(),
  plain_http: flag('talk plain HTTP to this registry'),
  insecure: flag('use HTTPS without verifying the certificate'),
});

/**
 * `verify`: the trust policy for what `dep resolve` installs (docs/signing.md, "Trust policy").
 * An artifact is accepted when a cosign signature by one of `keys` signs its digest in its
 * repository; `require` (default true) refuses unsigned artifacts too.
 */
export const verifyPolicySchema = z.strictObject({
  keys: z
    .array(nonEmptyString('public key file (SPKI PEM), e.g. ~/.provisioning/keys/team.pub'))
    .min(1, 'list at least one public key file')
    .describe('public keys (cosign .pub files); a signature by any of them is accepted'),
  require: flag('refuse artifacts that carry no signature (default true)'),
});

export const pathSettingSchema = z.strictObject({
  path: nonEmptyString('directory path'),
});

/** `gitea://NAME[:TAG]` (the seed's alternative) or an OCI reference for the pinned core. */
export const coreSourceSchema = z
  .string()
  .superRefine((value, ctx) => {
    if (value.startsWith('gitea://')) {
      if (value.length === 'gitea://'.length) {
        ctx.addIssue({ code: 'custom', message: 'gitea:// needs a name' });
        return;
      }
      try {
        parseGiteaCoreSource(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as ProvisioningError).message, input: value });
      }
      return;
    }
    try {
      parseReference(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as ProvisioningError).message, input: value });
    }
  })
  .describe(
    'core release, e.g. oci://harbor.company.com/provisioning-core:v3.5.0 or gitea://provisioning-core:v3.5.0',
  );

export const coreSettingsSchema = z.strictObject({ source: coreSourceSchema });

const moduleList = (description: string) => z.array(moduleReferenceString()).describe(description).optional();

/** A Gitea (or Forgejo, GitHub, GitLab, any git server) repository holding extensions. */
export const giteaSourceSchema = z.strictObject({
  url: z
    .string()
    .superRefine((value, ctx) => {
      const problem = gitServerUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
    })
    .describe('git server base URL, e.g. https://gitea.company.com (https, http, ssh or git)')
    .optional(),
  repository: z
    .string()
    .superRefine((value, ctx) => {
      if (!isRepositoryPath(value))
        ctx.addIssue({
          code: 'custom',
          message: `"${value}" is not a repository path (org/name)`,
          input: value,
        });
    })
    .describe('repository holding {type}s/{name}/ trees and {type}s/{name}/vX.Y.Z tags, e.g. org/extensions')
    .optional(),
});

/** Why `value` cannot be a git server base URL (null: it can). */
export function gitServerUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URL (e.g. https://gitea.company.com)`;
  }
  if (!['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol))
    return `"${value}": use https://, http://, ssh:// or git://`;
  if (url.password !== '' || (url.username !== '' && url.protocol !== 'ssh:'))
    return 'the URL cannot carry credentials; git credential helpers supply them';
  if (url.search !== '' || url.hash !== '') return `"${value}": a server URL takes no query or fragment`;
  return null;
}

export const extensionModulesSchema = z.strictObject({
  providers: moduleList('provider extensions, e.g. oci://localhost:5000/provisioning-extensions/aws:2.0.0'),
  taskservs: moduleList('taskserv extensions, e.g. kubernetes:1.28.0'),
  clusters: moduleList('cluster extensions, e.g. buildkit:0.12.0'),
});

export const extensionsSettingsSchema = z.strictObject({
  source_type: z
    .enum(SOURCE_TYPES)
    .describe('where extensions come from (gitea: a git repository, see gitea)')
    .optional(),
  oci: ociSourceSchema.optional(),
  gitea: giteaSourceSchema
    .describe('git repository of source_type: gitea, and the server of gitea://')
    .optional(),
  local: pathSettingSchema.describe('legacy monorepo extensions directory').optional(),
  oci_layout: pathSettingSchema.describe('OCI image layout directory (air-gapped mirror)').optional(),
  modules: extensionModulesSchema.optional(),
  verify: verifyPolicySchema.describe('signature policy for extensions (docs/signing.md)').optional(),
});

const imageName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'image names use lowercase letters, digits, "_" and "-"');

export const platformSettingsSchema = z.strictObject({
  source_type: z.enum(SOURCE_TYPES).describe('where platform images come from').optional(),
  oci: ociSourceSchema.optional(),
  images: z.record(imageName, referenceString('container image reference')).optional(),
  verify: verifyPolicySchema.describe('signature policy for platform images (docs/signing.md)').optional(),
});

export const registryNamespacesSchema = z.strictObject({
  extensions: repositoryPath('namespace of extensions').optional(),
  platform: repositoryPath('namespace of platform images').optional(),
  kcl: repositoryPath('namespace of KCL packages').optional(),
  test: repositoryPath('namespace for tests').optional(),
});

export const registryOciSchema = z.strictObject({
  endpoint: registryEndpoint('registry endpoint, host[:port] or https://host[:port]').optional(),
  namespaces: registryNamespacesSchema.optional(),
  tls_enabled: flag('use HTTPS'),
  auth_token_path: nonEmptyString('file holding a bearer token for the registry').optional(),
  plain_http: flag('talk plain HTTP to this registry'),
  insecure: flag('use HTTPS without verifying the certificate'),
});

/**
 * `mirrors: { "harbor.company.com": ["mirror-a.local:5000", …] }`: registries tried in order before
 * the upstream for pulls and resolves (docs/sources.md, "Registry mirrors").
 */
export const registryMirrorsSchema = z
  .record(
    registryEndpoint('upstream registry host[:port] whose content the mirrors serve'),
    z
      .array(registryEndpoint('mirror registry host[:port] or https://host[:port]'))
      .min(1, 'list at least one mirror, or remove the entry'),
  )
  .describe('registry mirrors: upstream host → mirrors tried in order before it (reads only)');

export const registrySettingsSchema = z.strictObject({
  type: z.enum(REGISTRY_TYPES).describe('registry kind (gitea and http are not supported yet)').optional(),
  path: nonEmptyString('storage root of the embedded registry').optional(),
  oci: registryOciSchema.optional(),
  mirrors: registryMirrorsSchema.optional(),
});

export const dependenciesSchema = z.strictObject({
  core: coreSettingsSchema.optional(),
  extensions: extensionsSettingsSchema.optional(),
  platform: platformSettingsSchema.optional(),
  registry: registrySettingsSchema.optional(),
});

export const workspaceConfigSchema = z
  .strictObject({ dependencies: dependenciesSchema })
  .describe('provisioning workspace configuration (config/provisioning.yaml)');

/** `$PROVISIONING_HOME/config.yaml`: the workspace shape with everything optional. */
export const homeConfigSchema = z
  .strictObject({ dependencies: dependenciesSchema.optional() })
  .describe('provisioning user configuration ($PROVISIONING_HOME/config.yaml)');

export type VerifyPolicy = z.infer<typeof verifyPolicySchema>;
export type OciSourceSettings = z.infer<typeof ociSourceSchema>;
export type GiteaSourceSettings = z.infer<typeof giteaSourceSchema>;
export type CoreSettings = z.infer<typeof coreSettingsSchema>;
export type ExtensionModules = z.infer<typeof extensionModulesSchema>;
export type ExtensionsSettings = z.infer<typeof extensionsSettingsSchema>;
export type PlatformSettings = z.infer<typeof platformSettingsSchema>;
export type RegistryNamespaces = z.infer<typeof registryNamespacesSchema>;
export type RegistryOciSettings = z.infer<typeof registryOciSchema>;
export type RegistrySettings = z.infer<typeof registrySettingsSchema>;
export type RegistryMirrors = z.infer<typeof registryMirrorsSchema>;
export type DependenciesSettings = z.infer<typeof dependenciesSchema>;
export type WorkspaceConfig = z.infer<typeof workspaceConfigSchema>;
export type HomeConfig = z.infer<typeof homeConfigSchema>;
