import { describe, expect, it } from 'vitest';
import { createTemplateEnvironment, templateErrorReason } from './template-env.js';

describe('template environment', () => {
  const env = createTemplateEnvironment('/nonexistent', { strict: true });

  it('renders Jinja2 idioms: items(), slices, tojson, no HTML escaping', () => {
    const out = env.renderString(
      '{% for k, v in m.items() %}{{ k }}={{ v }};{% endfor %}{{ xs[1:] | join(",") }} {{ m | tojson }} {{ "<a&b>" }}',
      { m: { a: 1 }, xs: [1, 2, 3] },
    );
    expect(out).toBe('a=1;2,3 {"a":1} <a&b>');
  });

  it('fails on printing an undefined variable, with a position and without the absolute path', () => {
    let error: unknown;
    try {
      env.renderString('ok\n  {{ missing }}', {});
    } catch (e) {
      error = e;
    }
    expect(templateErrorReason(error)).toBe('line 2:3: attempted to output null or undefined value');
  });

  it('keeps the reason of errors without a position', () => {
    expect(templateErrorReason(new Error('(unknown path)\n  Error: filter not found: frob'))).toBe(
      'filter not found: frob',
    );
  });
});
