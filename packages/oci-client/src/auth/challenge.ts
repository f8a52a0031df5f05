/**
 * `WWW-Authenticate` parsing (RFC 7235): several challenges in one header, scheme names and
 * parameter names case-insensitive, values quoted (with `\` escapes) or bare tokens — Zot sends
 * `basic realm=zot`.
 */
export interface Challenge {
  /** Lowercased scheme: `basic`, `bearer`, … */
  scheme: string;
  /** Parameters with lowercased names (`realm`, `service`, `scope`, `error`). */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

export function parseWwwAuthenticate(header: string | string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  const text = Array.isArray(header) ? header.join(', ') : header;
  const challenges: Challenge[] = [];
  let rest = text;
  let current: Challenge | undefined;

  const skip = (pattern: RegExp) => {
    rest = rest.replace(pattern, '');
  };

  while (rest.length > 0) {
    skip(/^[\s,]+/);
    if (rest.length === 0) break;
    const token = TOKEN.exec(rest)?.[0];
    if (token === undefined) {
      // Unparseable garbage: drop one character and carry on rather than throwing on a server's header.
      rest = rest.slice(1);
      continue;
    }
    const afterToken = rest.slice(token.length);
    const equals = /^\s*=\s*/.exec(afterToken);
    if (current !== undefined && equals !== null && afterToken[equals[0].length] !== '=') {
      rest = afterToken.slice(equals[0].length);
      let value: string;
      if (rest.startsWith('"')) {
        let i = 1;
        value = '';
        while (i < rest.length && rest[i] !== '"') {
          if (rest[i] === '\\' && i + 1 < rest.length) i++;
          value += rest[i];
          i++;
        }
        rest = rest.slice(i + 1);
      } else {
        const bare = /^[^,\s]*/.exec(rest)![0];
        value = bare;
        rest = rest.slice(bare.length);
      }
      current.params[token.toLowerCase()] = value;
      continue;
    }
    // A new challenge: scheme, optionally followed by a token68 (`Basic abc==`), which we ignore.
    current = { scheme: token.toLowerCase(), params: {} };
    challenges.push(current);
    rest = afterToken;
    const token68 = /^\s+[A-Za-z0-9._~+/-]+=*\s*(?=,|$)/.exec(rest);
    if (token68 !== null) rest = rest.slice(token68[0].length);
  }
  return challenges;
}
