import { describe, expect, it } from 'vitest';
import { isLoopbackHost, registryBaseUrl, sameOrigin } from './origin.js';

describe('origins', () => {
  it('treats another port or scheme as another origin', () => {
    expect(sameOrigin('http://127.0.0.1:5000/v2/', 'http://127.0.0.1:5000/x')).toBe(true);
    expect(sameOrigin('http://127.0.0.1:5000/', 'http://127.0.0.1:5001/')).toBe(false);
    expect(sameOrigin('https://r.example/', 'http://r.example/')).toBe(false);
    expect(sameOrigin('https://r.example/', 'https://r.example:443/')).toBe(true);
  });

  it('recognises loopback hosts', () => {
    for (const host of [
      'localhost',
      'localhost:5000',
      '127.0.0.1',
      '127.1.2.3:80',
      '[::1]:5000',
      'LOCALHOST',
    ]) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of ['ghcr.io', '10.0.0.1:5000', '127.0.0.1.example.com', 'localhostx']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });

  it('uses plain HTTP for loopback by default, HTTPS elsewhere, unless told', () => {
    expect(registryBaseUrl('localhost:5000').protocol).toBe('http:');
    expect(registryBaseUrl('ghcr.io').protocol).toBe('https:');
    expect(registryBaseUrl('ghcr.io', true).protocol).toBe('http:');
    expect(registryBaseUrl('127.0.0.1:5000', false).protocol).toBe('https:');
    expect(registryBaseUrl('docker.io').origin).toBe('https://registry-1.docker.io');
  });
});
