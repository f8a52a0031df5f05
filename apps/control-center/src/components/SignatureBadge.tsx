import type { SignatureInfo } from '../api/types';

const LABEL: Record<SignatureInfo['status'], string> = {
  verified: 'Signature verified',
  signed: 'Signed (not verified: no verify key configured)',
  unsigned: 'Unsigned',
  invalid: 'Signature INVALID',
};

export function SignatureBadge({ status }: { status: SignatureInfo['status'] | string }) {
  const label = LABEL[status as SignatureInfo['status']] ?? status;
  return (
    <span className={`badge sig-${status}`} data-signature={status}>
      {label}
    </span>
  );
}
