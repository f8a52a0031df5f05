import { describe, expect, it } from 'vitest';
import { internalRange } from './address-range.js';

/** URL hostnames as `new URL(realm).hostname` gives them: nothing here is resolved or dialled. */
function hostOf(url: string): string {
  return new URL(url).hostname;
}

describe('internalRange', () => {
  it.each([
    ['http://169.254.169.254/', 'link-local'],
    ['http://169.254.0.1/', 'link-local'],
    ['http://169.254.255.255/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[febf:ffff::1]/', 'link-local'],
    ['http://[::ffff:169.254.169.254]/', 'link-local'],
    ['http://[::ffff:a9fe:a9fe]/', 'link-local'],
    ['http://169.254.169.254./', 'link-local'],
    ['http://2852039166/', 'link-local'],
    ['http://0xa9.0xfe.0xa9.0xfe/', 'link-local'],
    ['http://10.0.0.1/', 'private'],
    ['http://10.255.255.255/', 'private'],
    ['http://172.16.0.1/', 'private'],
    ['http://172.31.255.255/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://[fc00::1]/', 'private'],
    ['http://[fdff:ffff::1]/', 'private'],
    ['http://[::ffff:10.1.2.3]/', 'private'],
    ['http://[::ffff:192.168.0.1]/', 'private'],
    ['http://127.0.0.1/', 'loopback'],
    ['http://127.255.0.9/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[0:0:0:0:0:0:0:1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://[0:0:0:0:0:0:0:0]/', 'unspecified'],
    ['http://[::ffff:0.0.0.0]/', 'unspecified'],
  ] as const)('%s is %s', (url, range) => {
    expect(internalRange(hostOf(url))).toBe(range);
  });

  it.each([
    'https://8.8.8.8/',
    'https://172.15.255.255/',
    'https://172.32.0.1/',
    'https://169.253.255.255/',
    'https://169.255.0.1/',
    'https://192.169.0.1/',
    'https://11.0.0.1/',
    'https://[2001:db8::1]/',
    'https://[fec0::1]/',
    'https://[fbff::1]/',
    'https://[::ffff:8.8.8.8]/',
    'https://auth.docker.io/',
    'https://localhost/',
    'https://10.0.0.1.example.com/',
  ])('%s is in no internal range (DNS names are not classified)', (url) => {
    expect(internalRange(hostOf(url))).toBeUndefined();
  });
});
