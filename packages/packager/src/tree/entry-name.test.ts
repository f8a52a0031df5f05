import { describe, expect, it } from 'vitest';
import { aliasKey, entryNameProblem } from './entry-name.js';

describe('entryNameProblem', () => {
  it.each(['manifest.yaml', 'kcl/kcl.mod', 'templates/redis.conf.j2', 'docs/ünïcode-nfc.md', '.hidden/ok'])(
    'accepts %s',
    (name) => {
      expect(entryNameProblem(name)).toBeUndefined();
    },
  );

  it.each([
    ['', /empty path/],
    ['/etc/passwd', /absolute/],
    ['../x', /"\.\." segment/],
    ['a/./b', /"\." segment/],
    ['a//b', /empty segment/],
    ['a/', /empty segment/],
    ['a\\b', /backslash/],
    ['C:x', /":"/],
    ['a\u0000b', /NUL/],
    ['a\nb', /control/],
    ['a\u0085b', /control/],
    ['a\u200bb', /invisible/],
    ['e\u0301', /NFC/],
    [`${'a'.repeat(256)}`, /segment longer/],
    [Array.from({ length: 33 }, () => 'd').join('/'), /deeper than 32/],
    [Array.from({ length: 20 }, () => 'x'.repeat(60)).join('/'), /longer than 1024 bytes/],
  ])('rejects %j', (name, reason) => {
    expect(entryNameProblem(name)).toMatch(reason);
  });
});

describe('aliasKey', () => {
  it('folds case so README.md and readme.md collide', () => {
    expect(aliasKey('README.md')).toBe(aliasKey('readme.md'));
    expect(aliasKey('a/B')).not.toBe(aliasKey('a/C'));
  });
});
