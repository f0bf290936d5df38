import { isIP } from 'node:net';

// Which address a sign-in attempt comes from, for the sign-in limits only (never for access).
// A Next route handler is not told the TCP peer's address, so the only sources are headers, and
// every header is whatever the client wrote unless a proxy of ours replaced it. So nothing is
// believed unless configured (README, "Who can see the directory"):
//
//   DIRECTORY_TRUSTED_PROXY_HOPS=N   N proxies of ours each append the address they were reached
//                                    from to X-Forwarded-For: the Nth entry from the right is the
//                                    client (what the client wrote itself is to the left of it)
//   DIRECTORY_CLIENT_IP_HEADER=name  our proxy sets this header (e.g. X-Real-IP) to the client's
//                                    address, replacing any the client sent
//
// By default (neither set) and whenever the value is not a plain IP address of bounded length,
// the address is UNKNOWN_ADDRESS: one bucket shared by everyone, so the per-email limit is what
// protects accounts.

export const UNKNOWN_ADDRESS = 'unknown';

export type ClientAddressSource =
  | { kind: 'none' }
  /** The `hops`th entry from the right of X-Forwarded-For. */
  | { kind: 'forwarded-for'; hops: number }
  /** A header our proxy sets to the client's address (lower-case name). */
  | { kind: 'header'; header: string };

export const MAX_TRUSTED_PROXY_HOPS = 10;
/** Longer X-Forwarded-For values are not read at all (about a hundred addresses). */
const MAX_FORWARDED_FOR_LENGTH = 4096;
/** Longer entries are not an IP address (the longest IPv6 text is 45 characters). */
const MAX_ADDRESS_LENGTH = 64;

const HEADER_NAME = /^[a-z0-9-]{1,100}$/;
const NOT_ADDRESS_HEADERS = new Set(['cookie', 'authorization', 'host', 'x-directory-proxy-secret', 'content-type', 'content-length']);

/**
 * Reads DIRECTORY_TRUSTED_PROXY_HOPS and DIRECTORY_CLIENT_IP_HEADER. A wrong value is an error
 * naming the variable (never its value); the zulip access mode then refuses everyone (config.ts).
 */
export function loadClientAddressSource(env: Partial<NodeJS.ProcessEnv>): ClientAddressSource | { error: string } {
  const hopsText = env.DIRECTORY_TRUSTED_PROXY_HOPS?.trim() || undefined;
  const headerText = env.DIRECTORY_CLIENT_IP_HEADER?.trim() || undefined;
  let hops = 0;
  if (hopsText !== undefined) {
    hops = /^\d{1,2}$/.test(hopsText) ? Number(hopsText) : NaN;
    if (!(hops >= 0 && hops <= MAX_TRUSTED_PROXY_HOPS)) {
      return { error: `DIRECTORY_TRUSTED_PROXY_HOPS must be a whole number from 0 to ${MAX_TRUSTED_PROXY_HOPS}: how many proxies of yours append to X-Forwarded-For` };
    }
  }
  if (headerText !== undefined) {
    const header = headerText.toLowerCase();
    if (!HEADER_NAME.test(header)) return { error: 'DIRECTORY_CLIENT_IP_HEADER must be an HTTP header name, e.g. X-Real-IP' };
    if (header === 'x-forwarded-for') return { error: 'DIRECTORY_CLIENT_IP_HEADER cannot be X-Forwarded-For (a list the client starts): set DIRECTORY_TRUSTED_PROXY_HOPS instead' };
    if (NOT_ADDRESS_HEADERS.has(header)) return { error: 'DIRECTORY_CLIENT_IP_HEADER cannot be that header' };
    if (hops > 0) return { error: 'Set DIRECTORY_TRUSTED_PROXY_HOPS or DIRECTORY_CLIENT_IP_HEADER, not both' };
    return { kind: 'header', header };
  }
  return hops > 0 ? { kind: 'forwarded-for', hops } : { kind: 'none' };
}

/** The client's IP address as our proxy reports it, or UNKNOWN_ADDRESS. For the sign-in limits only. */
export function clientAddress(headers: Headers, source: ClientAddressSource): string {
  switch (source.kind) {
    case 'none':
      return UNKNOWN_ADDRESS;
    case 'header':
      return ipAddress(headers.get(source.header)) ?? UNKNOWN_ADDRESS;
    case 'forwarded-for': {
      // Several X-Forwarded-For headers arrive joined by ", ", in order: one list.
      const list = headers.get('x-forwarded-for');
      if (list === null || list.length > MAX_FORWARDED_FOR_LENGTH) return UNKNOWN_ADDRESS;
      const entries = list.split(',');
      // Fewer entries than proxies: the request skipped one of them, so the client wrote them all.
      if (entries.length < source.hops) return UNKNOWN_ADDRESS;
      return ipAddress(entries[entries.length - source.hops]) ?? UNKNOWN_ADDRESS;
    }
  }
}

/** A plain IPv4 or IPv6 address (no port, brackets or zone), in one spelling; otherwise null. */
function ipAddress(value: string | null | undefined): string | null {
  if (!value || value.length > MAX_ADDRESS_LENGTH) return null;
  const text = value.trim();
  if (text.includes('%')) return null;
  const version = isIP(text);
  if (version === 4) return text;
  if (version !== 6) return null;
  const groups = ipv6Groups(text);
  // An IPv4 client seen through an IPv6 socket (::ffff:a.b.c.d) is that IPv4 client.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
  }
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

/** The eight 16-bit groups of an address `isIP` calls IPv6. */
function ipv6Groups(address: string): number[] {
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [parseInt(g, 16)];
          const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head = '', tail] = address.toLowerCase().split('::');
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The bucket an address is limited in: itself for IPv4, its /64 for IPv6 (a home or a server
 * usually gets a whole /64, so one client could otherwise take a new address for every guess).
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  return `${ipv6Groups(address)
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}
