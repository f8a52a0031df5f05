import type { SignatureInfo } from '../api/types';

const LABEL: Record<SignatureInfo['status'], string> = {
  verified: 'Signature verified',
  signed: 'Signed (not verified: no verify key configured)',
  unsigned: 'Unsigned',
  invalid: 'Signature INVALID',
};

export function SignatureBadge({
  status,
  keyId,
}: {
  status: SignatureInfo['status'] | string;
  keyId?: string;
}) {
  const known = LABEL[status as SignatureInfo['status']] ?? status;
  const label = keyId ? `${known} by ${keyId}` : known;
  return (
    <span className={`badge sig-${status}`} data-signature={status}>
      {label}
    </span>
  );
}
