// The one way to call a URL a customer gave us (webhook targets, Discord webhook URLs, notify URLs).
//
// Checking a URL's host before calling it is not enough: DNS can answer differently a millisecond
// later (rebinding), and a redirect can point anywhere. So the check runs inside the connection
// itself: the dispatcher's `connect` resolves the name, refuses if any address is not allowed, and
// opens the socket to exactly the address it checked (TLS still verifies the certificate against the
// host name). Redirects are never followed; a 3xx comes back to the caller as an answer.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { blockedReason, type AddressClass, type AddressPolicy } from './addressPolicy';
import { httpRequest, type HttpReply, type HttpRequest } from './httpRequest';

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface OutboundPolicy extends AddressPolicy {
  /** Name resolution; tests inject one. Defaults to the system resolver with every address. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
}

export const OUTBOUND_REFUSED = 'ERR_OUTBOUND_URL_REFUSED' as const;

/** A customer URL that PostForge will not call; the message is safe to show to the customer. */
export interface OutboundRefusal extends Error {
  code: typeof OUTBOUND_REFUSED;
  /** What kind of address was refused, when it was refused for its address. */
  addressClass?: AddressClass;
}

// A plain Error with a code rather than a subclass: undici's fetch re-wraps Error subclasses made in
// another realm (jest's VM) as `Error(String(err))`, losing their fields; a plain Error's code survives.
function refusal(message: string, addressClass?: AddressClass): OutboundRefusal {
  return Object.assign(new Error(message), { code: OUTBOUND_REFUSED, ...(addressClass ? { addressClass } : {}) });
}

/** The error, or the cause along its chain (fetch wraps the connector's error), that refused a URL. */
export function outboundRefusal(err: unknown): OutboundRefusal | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if ((e as { code?: unknown }).code === OUTBOUND_REFUSED) return e as OutboundRefusal;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

// Names that only ever mean something inside a network (RFC 6761, RFC 8375, common conventions).
const INTERNAL_SUFFIXES = ['.localhost', '.local', '.internal', '.localdomain', '.home.arpa', '.lan', '.intranet', '.corp'];

const hostLabel = (cls: AddressClass): string => (cls === 'invalid' ? 'an invalid' : /^[aeiou]/.test(cls) ? `an ${cls}` : `a ${cls}`);

/**
 * What can be said about a URL without resolving it: http(s) only, no credentials, and (unless
 * private hosts are allowed) no IP literal or host name that is plainly internal. Used when a URL is
 * saved, for a clear early error, and again before sending. Throws an OutboundRefusal.
 */
export function checkOutboundUrl(raw: string, policy: AddressPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refusal('is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refusal(`must be an http or https URL (got ${url.protocol.replace(/:$/, '')})`);
  if (url.username || url.password) throw refusal('must not contain a user name or password; put credentials in a header or the path the receiver expects');
  // WHATWG parsing has already normalised 2130706433, 0x7f.1, 017700000001 and [::ffff:7f00:1].
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const cls = blockedReason(host, policy);
    if (cls) throw refusal(`points to ${hostLabel(cls)} address; PostForge only calls public addresses`, cls);
    return url;
  }
  if (!policy.allowPrivate) {
    const name = host.toLowerCase().replace(/\.$/, '');
    if (name === 'localhost' || !name.includes('.') || INTERNAL_SUFFIXES.some((s) => name.endsWith(s))) {
      throw refusal(`has the host name "${name}", which is not a public internet name; PostForge only calls public addresses`, 'private');
    }
  }
  return url;
}

const systemResolve = async (hostname: string): Promise<ResolvedAddress[]> => dnsLookup(hostname, { all: true, verbatim: true });

/** Resolves a host and returns its addresses, refusing the whole host if any of them is not allowed. */
export async function resolveAllowed(hostname: string, policy: OutboundPolicy): Promise<ResolvedAddress[]> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await (policy.resolve ?? systemResolve)(host);
  if (addresses.length === 0) throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' });
  for (const { address } of addresses) {
    const cls = blockedReason(address, policy);
    // The address is not named: it would let a customer probe our internal DNS.
    if (cls) throw refusal(`resolves to ${hostLabel(cls)} address; PostForge only calls public addresses`, cls);
  }
  return addresses;
}

/** An undici dispatcher whose every new connection goes only to an address the policy allows. */
export function guardedDispatcher(policy: OutboundPolicy): Dispatcher {
  const connectTo = buildConnector({});
  const connect: buildConnector.connector = (options, callback) => {
    resolveAllowed(options.hostname, policy).then(
      (addresses) => {
        // Try each checked address in turn (an AAAA answer on a host without IPv6 must not end it);
        // `host` keeps the name, so TLS sends it as SNI and verifies the certificate against it.
        const attempt = (i: number): void =>
          connectTo({ ...options, hostname: addresses[i]!.address }, (err, socket) => {
            if (err && i + 1 < addresses.length) return attempt(i + 1);
            if (err) return callback(err, null);
            callback(null, socket!);
          });
        attempt(0);
      },
      (err: Error) => callback(err, null),
    );
  };
  return new Agent({ connect, connections: CONNECTIONS_PER_ORIGIN });
}

/**
 * Connections open to one receiver at once; more requests queue for a free one (kept alive). A
 * burst of armed posts sends in the same millisecond: unbounded, 5,000 posts to one webhook opened
 * 5,000 connections at once, overflowing the receiver's accept queue (Node's default backlog is 511),
 * and the dropped SYNs came back after 1, 3, 7 s (bench: p50 8.5 s, 764 sends timed out). A customer's
 * receiver should not see thousands of connections from us either.
 */
export const CONNECTIONS_PER_ORIGIN = 128;

// One dispatcher per setting (keeps connection pools shared); tests with their own resolver get their own.
const shared = new Map<boolean, Dispatcher>();
function dispatcherFor(policy: OutboundPolicy): Dispatcher {
  if (policy.resolve || policy.trustedAddresses) return guardedDispatcher(policy);
  let d = shared.get(policy.allowPrivate);
  if (!d) shared.set(policy.allowPrivate, (d = guardedDispatcher({ allowPrivate: policy.allowPrivate })));
  return d;
}

/**
 * fetch for customer URLs: the URL is checked, the connection goes only to allowed addresses, and
 * redirects come back as 3xx answers instead of being followed. Refusals reject with an error whose
 * cause chain holds an OutboundRefusal (see outboundRefusal).
 */
export async function safeFetch(url: string, init: RequestInit, policy: OutboundPolicy): Promise<Response> {
  checkOutboundUrl(url, policy);
  // Node's fetch is undici; its RequestInit takes a dispatcher although the DOM type does not say so.
  const guarded = { ...init, redirect: 'manual', dispatcher: dispatcherFor(policy) } as RequestInit;
  return fetch(url, guarded);
}

/** safeFetch's checks around core/net/httpRequest: the cheaper call for a burst of sends (webhooks). */
export async function safeRequest(url: string, init: HttpRequest, policy: OutboundPolicy): Promise<HttpReply> {
  checkOutboundUrl(url, policy);
  return httpRequest(url, init, dispatcherFor(policy));
}
