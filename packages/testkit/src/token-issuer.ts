import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import {
  bitString,
  boolean,
  explicit,
  integer,
  octetString,
  oid,
  sequence,
  set,
  utcTime,
  utf8,
} from './der.js';

export interface TokenIssuer {
  /** PEM of the self-signed P-256 certificate: give it to the registry as `rootcertbundle`. */
  certPem: string;
  /** Base64 DER of the certificate (the JWT `x5c` entry). */
  certBase64: string;
  privateKey: KeyObject;
  /** A registry JWT (ES256) with the given claims. */
  signJwt(claims: RegistryTokenClaims): string;
}

export interface RegistryAccess {
  type: string;
  name: string;
  actions: string[];
}

export interface RegistryTokenClaims {
  issuer: string;
  service: string;
  subject?: string;
  access: RegistryAccess[];
  /** Lifetime in seconds (default 300). */
  expiresIn?: number;
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

function selfSignedCertificate(privateKey: KeyObject, spki: Buffer, commonName: string): Buffer {
  const name = sequence(set(sequence(oid('2.5.4.3'), utf8(commonName))));
  const algorithm = sequence(oid(ECDSA_WITH_SHA256));
  const now = Date.now();
  const keyId = createHash('sha1').update(spki).digest();
  const extensions = explicit(
    3,
    sequence(
      // basicConstraints (critical): CA:TRUE — the certificate is its own root.
      sequence(oid('2.5.29.19'), boolean(true), octetString(sequence(boolean(true)))),
      // keyUsage (critical): digitalSignature, keyCertSign.
      sequence(oid('2.5.29.15'), boolean(true), octetString(tlv3(Buffer.from([0x02, 0x84])))),
      // subjectKeyIdentifier
      sequence(oid('2.5.29.14'), octetString(octetString(keyId))),
    ),
  );
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(randomBytes(12)),
    algorithm,
    name,
    sequence(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 24 * 3600_000))),
    name,
    spki,
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  return sequence(tbs, algorithm, bitString(signature));
}

/** BIT STRING whose first content byte (unused bits) is given explicitly. */
function tlv3(content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x03, content.length]), content]);
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * A token issuer for Distribution's `auth: token`: a fresh P-256 key and self-signed certificate,
 * and an ES256 signer producing the JWTs the registry accepts (JOSE r‖s signature, `x5c` header).
 */
export function createTokenIssuer(commonName = 'provisioning-test-token-issuer'): TokenIssuer {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const der = selfSignedCertificate(privateKey, spki, commonName);
  const certBase64 = der.toString('base64');
  const certPem = `-----BEGIN CERTIFICATE-----\n${certBase64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  const key = createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return {
    certPem,
    certBase64,
    privateKey: key,
    signJwt(claims) {
      const now = Math.floor(Date.now() / 1000);
      const header = { alg: 'ES256', typ: 'JWT', x5c: [certBase64] };
      const payload = {
        iss: claims.issuer,
        aud: claims.service,
        sub: claims.subject ?? 'anonymous',
        iat: now,
        nbf: now - 60,
        exp: now + (claims.expiresIn ?? 300),
        jti: randomBytes(8).toString('hex'),
        access: claims.access,
      };
      const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
      const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
      return `${input}.${base64url(signature)}`;
    },
  };
}
