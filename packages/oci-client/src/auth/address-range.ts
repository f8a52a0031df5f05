import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Address ranges a token realm may only use when they are the registry's own host (docs/oci.md). */
export type InternalRange = 'loopback' | 'link-local' | 'private' | 'unspecified';

function blockList(v4: readonly [string, number][], v6: readonly [string, number][]): BlockList {
  const list = new BlockList();
  for (const [net, prefix] of v4) list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, 'ipv6');
  return list;
}

// Node's BlockList matches IPv4-mapped IPv6 addresses (`::ffff:169.254.169.254`) against IPv4 rules.
const RANGES: readonly [InternalRange, BlockList][] = [
  ['unspecified', blockList([['0.0.0.0', 8]], [['::', 128]])],
  ['loopback', blockList([['127.0.0.0', 8]], [['::1', 128]])],
  ['link-local', blockList([['169.254.0.0', 16]], [['fe80::', 10]])],
  [
    'private',
    blockList(
      [
        ['10.0.0.0', 8],
        ['172.16.0.0', 12],
        ['192.168.0.0', 16],
      ],
      [['fc00::', 7]],
    ),
  ],
];

/**
 * The internal range an IP-literal host belongs to, or undefined for a public address or a DNS
 * name. Takes a URL hostname (`[::1]` with brackets is fine); `new URL` has already turned
 * `0x7f.1`, `2130706433` and `169.254.169.254.` into dotted quads.
 */
export function internalRange(hostname: string): InternalRange | undefined {
  let host = hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const family = isIPv4(host) ? 'ipv4' : isIPv6(host) ? 'ipv6' : undefined;
  if (family === undefined) return undefined;
  for (const [range, list] of RANGES) if (list.check(host, family)) return range;
  return undefined;
}
