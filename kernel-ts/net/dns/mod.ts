/** net/dns: the stub resolver (A records), pure — time in, datagrams out. */
export { DnsResolver, type DnsDatagram, type DnsResolverOptions, type DnsResolverStats, type DnsResult } from "./resolver.ts";
export { DnsCache, type CachedAnswer } from "./cache.ts";
export { BadHostname, DnsServerFailure, DnsTimeout, NameNotFound, NoAddress, NoDnsServer, type DnsError } from "./errors.ts";
