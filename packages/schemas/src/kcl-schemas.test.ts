/**
 * kcl/*.k mirror the zod schemas (kcl is not installed here, so the .k files are not parsed): every
 * key of each zod object must be a field of the matching KCL schema, so the two cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { infraStateSchema, installedModuleSchema } from './infra-state.js';
import { lockedImageSchema, lockedModuleSchema, lockfileSchema } from './lockfile.js';
import { extensionManifestSchema } from './manifest.js';
import * as config from './workspace-config.js';

const kclDir = fileURLToPath(new URL('../../../kcl/', import.meta.url));

/** The field names of `schema NAME:` in FILE (lines `    key: …` / `    key?: …` up to the next schema). */
function kclFields(file: string, name: string): string[] {
  const text = readFileSync(`${kclDir}${file}`, 'utf8');
  const start = text.indexOf(`schema ${name}:`);
  if (start < 0) throw new Error(`kcl/${file} has no schema ${name}`);
  const rest = text.slice(start + 1);
  const end = rest.search(/\n(?:schema|type) /);
  const body = end < 0 ? rest : rest.slice(0, end);
  return [...body.matchAll(/^ {4}([a-z_]+)\??:/gm)].map((m) => m[1] as string);
}

// biome-ignore lint/suspicious/noExplicitAny: zod objects of any shape
type AnyObject = z.ZodObject<any>;
const pairs: [string, string, AnyObject][] = [
  ['main.k', 'WorkspaceConfig', config.workspaceConfigSchema],
  ['main.k', 'HomeConfig', config.homeConfigSchema],
  ['dependencies.k', 'Dependencies', config.dependenciesSchema],
  ['dependencies.k', 'CoreSettings', config.coreSettingsSchema],
  ['dependencies.k', 'ExtensionsSettings', config.extensionsSettingsSchema],
  ['dependencies.k', 'ExtensionModules', config.extensionModulesSchema],
  ['dependencies.k', 'PlatformSettings', config.platformSettingsSchema],
  ['settings.k', 'OciSource', config.ociSourceSchema],
  ['settings.k', 'VerifyPolicy', config.verifyPolicySchema],
  ['settings.k', 'PathSetting', config.pathSettingSchema],
  ['settings.k', 'GiteaSource', config.giteaSourceSchema],
  ['settings.k', 'RegistryNamespaces', config.registryNamespacesSchema],
  ['settings.k', 'RegistryOci', config.registryOciSchema],
  ['settings.k', 'RegistrySettings', config.registrySettingsSchema],
  ['lib.k', 'ExtensionManifest', extensionManifestSchema as unknown as AnyObject],
  ['server.k', 'InfraState', infraStateSchema],
  ['server.k', 'InstalledModule', installedModuleSchema],
  ['cluster.k', 'Lockfile', lockfileSchema],
  ['cluster.k', 'LockedModule', lockedModuleSchema],
  ['cluster.k', 'LockedImage', lockedImageSchema],
];

describe('kcl/ base schemas', () => {
  for (const [file, name, schema] of pairs) {
    it(`${file} ${name} has every key of the zod schema`, () => {
      const shape =
        'shape' in schema ? schema.shape : (schema as unknown as { def: { in: AnyObject } }).def.in.shape;
      const zodKeys = Object.keys(shape).sort();
      expect(zodKeys.length).toBeGreaterThan(0);
      expect(kclFields(file, name).sort()).toEqual(expect.arrayContaining(zodKeys));
    });
  }
});
