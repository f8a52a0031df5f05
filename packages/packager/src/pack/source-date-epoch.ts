import { ProvisioningError } from '@provisioning/schemas';

/**
 * The mtime written into every tar header, in seconds since the epoch: the explicit option, else
 * `SOURCE_DATE_EPOCH` (reproducible-builds.org), else 0 (1970-01-01; tar, skopeo and umoci accept it).
 */
export function resolveSourceDateEpoch(
  option: number | undefined,
  env: NodeJS.ProcessEnv = process.env,
): number {
  if (option !== undefined) {
    if (!Number.isSafeInteger(option) || option < 0 || option > 8 ** 11 - 1) {
      throw new ProvisioningError(
        'SOURCE_DATE_EPOCH_INVALID',
        `sourceDateEpoch ${option} is not a valid timestamp`,
        {
          hint: 'pass whole seconds since 1970-01-01, e.g. 1700000000',
        },
      );
    }
    return option;
  }
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return 0;
  if (!/^\d{1,11}$/.test(raw) || Number(raw) > 8 ** 11 - 1) {
    throw new ProvisioningError(
      'SOURCE_DATE_EPOCH_INVALID',
      `SOURCE_DATE_EPOCH="${raw.slice(0, 40)}" is not a number of seconds`,
      {
        hint: 'set SOURCE_DATE_EPOCH to whole seconds since 1970-01-01 (e.g. `git log -1 --format=%ct`) or unset it',
      },
    );
  }
  return Number(raw);
}
