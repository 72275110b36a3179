// Which IP addresses a customer-supplied URL may reach. Customers give us webhook, Discord webhook
// and notify URLs; without this a URL could make the worker call the cloud metadata service, the
// Temporal frontend, MongoDB or anything else on our network and show the answer back (SSRF).
//
// Everything is decided on the 16/4 bytes of the address, never on its spelling: WHATWG URL parsing
// already turns 2130706433, 0x7f.1 and 0177.0.0.1 into 127.0.0.1, and IPv6 forms that embed an IPv4
// address (::ffff:127.0.0.1, 64:ff9b::7f00:1) are judged by the IPv4 address inside.
import { isIPv4, isIPv6 } from 'node:net';

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'carrier-grade NAT'
  | 'link-local'
  | 'unique-local'
  | 'unspecified'
  | 'multicast'
  | 'reserved'
  | 'cloud metadata'
  | 'invalid';

/** Classes a self-hosted install may opt into with ALLOW_PRIVATE_WEBHOOK_HOSTS=true. */
const PRIVATE_CLASSES: ReadonlySet<AddressClass> = new Set(['loopback', 'private', 'carrier-grade NAT', 'link-local', 'unique-local']);

export interface AddressPolicy {
  /** ALLOW_PRIVATE_WEBHOOK_HOSTS: loopback and private networks are allowed; metadata never is. */
  allowPrivate: boolean;
  /** Single private addresses allowed anyway (as written by classifyAddress's input); metadata never is. */
  trustedAddresses?: readonly string[];
}

/** Why the address may not be reached under this policy, or undefined when it may. */
export function blockedReason(address: string, policy: AddressPolicy): AddressClass | undefined {
  const cls = classifyAddress(address);
  if (cls === 'public') return undefined;
  if (PRIVATE_CLASSES.has(cls) && (policy.allowPrivate || policy.trustedAddresses?.includes(address))) return undefined;
  return cls;
}

type Range = [prefix: number[], bits: number, cls: AddressClass];

// Cloud metadata services answer on these; refused even when private networks are allowed.
const METADATA_V4: Range[] = [
  [[169, 254, 169, 254], 32, 'cloud metadata'], // AWS, GCP, Azure, DigitalOcean, OpenStack
  [[169, 254, 170, 2], 32, 'cloud metadata'], // AWS ECS task metadata
  [[169, 254, 170, 23], 32, 'cloud metadata'], // AWS EKS pod identity
  [[100, 100, 100, 200], 32, 'cloud metadata'], // Alibaba Cloud
  [[192, 0, 0, 192], 32, 'cloud metadata'], // Oracle Cloud
];

// IANA IPv4 special-purpose registry: everything not globally reachable.
const SPECIAL_V4: Range[] = [
  [[0, 0, 0, 0], 32, 'unspecified'],
  [[0], 8, 'reserved'], // "this network"
  [[10], 8, 'private'],
  [[100, 64], 10, 'carrier-grade NAT'],
  [[127], 8, 'loopback'],
  [[169, 254], 16, 'link-local'],
  [[172, 16], 12, 'private'],
  [[192, 0, 0], 24, 'reserved'], // IETF protocol assignments
  [[192, 0, 2], 24, 'reserved'], // TEST-NET-1
  [[192, 88, 99], 24, 'reserved'], // 6to4 relay anycast
  [[192, 168], 16, 'private'],
  [[198, 18], 15, 'reserved'], // benchmarking
  [[198, 51, 100], 24, 'reserved'], // TEST-NET-2
  [[203, 0, 113], 24, 'reserved'], // TEST-NET-3
  [[224], 4, 'multicast'],
  [[240], 4, 'reserved'], // incl. 255.255.255.255
];

const METADATA_V6: Range[] = [[[0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54], 128, 'cloud metadata']]; // fd00:ec2::254 (AWS)

// Only global unicast (2000::/3) is public; inside it these are not.
const SPECIAL_V6_IN_GLOBAL: Range[] = [
  [[0x20, 0x01, 0x00], 23, 'reserved'], // IETF protocol assignments, incl. Teredo 2001::/32
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'reserved'], // documentation
  [[0x20, 0x02], 16, 'reserved'], // 6to4: would tunnel to any IPv4 address, private ones included
  [[0x3f, 0xff, 0x00], 20, 'reserved'], // documentation
];

function inRange(bytes: readonly number[], [prefix, bits]: Range): boolean {
  for (let i = 0; i < Math.ceil(bits / 8); i++) {
    const take = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

const firstMatch = (bytes: readonly number[], ranges: Range[]): AddressClass | undefined => ranges.find((r) => inRange(bytes, r))?.[2];

export function classifyAddress(address: string): AddressClass {
  const plain = address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''); // brackets, zone id
  if (isIPv4(plain)) return classifyV4(plain.split('.').map(Number));
  if (isIPv6(plain)) return classifyV6(ipv6Bytes(plain));
  return 'invalid';
}

function classifyV4(bytes: number[]): AddressClass {
  return firstMatch(bytes, METADATA_V4) ?? firstMatch(bytes, SPECIAL_V4) ?? 'public';
}

function classifyV6(b: number[]): AddressClass {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 16)) return 'unspecified';
  if (zeros(0, 15) && b[15] === 1) return 'loopback';
  // ::ffff:a.b.c.d (IPv4-mapped) and 64:ff9b::a.b.c.d (NAT64) reach the IPv4 address inside.
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return classifyV4(b.slice(12));
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return classifyV4(b.slice(12));
  const metadata = firstMatch(b, METADATA_V6);
  if (metadata) return metadata;
  if (((b[0] ?? 0) & 0xfe) === 0xfc) return 'unique-local'; // fc00::/7
  if (b[0] === 0xfe && ((b[1] ?? 0) & 0xc0) === 0x80) return 'link-local'; // fe80::/10
  if (b[0] === 0xff) return 'multicast';
  if (((b[0] ?? 0) & 0xe0) !== 0x20) return 'reserved'; // outside 2000::/3: ::/96 IPv4-compatible, 100::/64, fec0::/10, ...
  return firstMatch(b, SPECIAL_V6_IN_GLOBAL) ?? 'public';
}

/** The 16 bytes of a valid IPv6 address (node:net validated it), including forms ending in a dotted quad. */
function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a, b, c, d] = dotted[1].split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return all.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}
