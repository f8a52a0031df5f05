import { describe, expect, it } from 'vitest';
import { parseErrorBody, registryErrorFromResponse } from './errors.js';

const ctx = {
  host: 'r.example',
  operation: 'fetch manifest',
  reference: 'r.example/ns/app:1.0.0',
  repository: 'ns/app',
  target: '1.0.0',
};

describe('registry errors', () => {
  it('parses spec error bodies and tolerates anything else', () => {
    expect(
      parseErrorBody(
        '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"tag":"x"}}]}',
      ),
    ).toEqual([{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { tag: 'x' } }]);
    expect(parseErrorBody('<html>nope</html>')).toEqual([]);
    expect(parseErrorBody('{"errors":"weird"}')).toEqual([]);
    expect(parseErrorBody('')).toEqual([]);
  });

  it('maps MANIFEST_UNKNOWN with the reference and a tags hint', () => {
    const error = registryErrorFromResponse(
      404,
      '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}',
      ctx,
    );
    expect(error).toMatchObject({
      code: 'MANIFEST_UNKNOWN',
      kind: 'registry',
      status: 404,
      retryable: false,
      exitCode: 3,
    });
    expect(error.message).toBe(
      'fetch manifest r.example/ns/app:1.0.0 failed: HTTP 404 MANIFEST_UNKNOWN (manifest unknown)',
    );
    expect(error.hint).toContain('provisioning oci tags r.example/ns/app');
  });

  it('maps 401 to a login hint, 429 and 5xx to retryable errors, HTML bodies to one short line', () => {
    expect(registryErrorFromResponse(401, '', ctx).hint).toContain('provisioning oci login r.example');
    expect(registryErrorFromResponse(429, '', ctx)).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      retryable: true,
    });
    const html = registryErrorFromResponse(502, `<html>\n<body>${'x'.repeat(500)}</body></html>`, ctx);
    expect(html).toMatchObject({ code: 'REGISTRY_UNAVAILABLE', retryable: true });
    expect(html.message).not.toContain('\n');
    expect(html.message.length).toBeLessThan(320);
    expect(registryErrorFromResponse(403, '{"errors":[{"code":"DENIED"}]}', ctx).code).toBe('DENIED');
  });
});
