import test from "ava";
import { NetworkConfigError, formatIpv4, parseIpv4, parseNetworkConfig } from "../../../kernel-ts/net/config.ts";

const ip = (text: string): number => parseIpv4(text)!;

test("DHCP is the default, with or without ip=dhcp; other keys are not looked at", (t) => {
  t.deepEqual(parseNetworkConfig(""), { mode: "dhcp" });
  t.deepEqual(parseNetworkConfig("app=echo debug_exit=0xf4"), { mode: "dhcp" });
  t.deepEqual(parseNetworkConfig("app=echo ip=dhcp"), { mode: "dhcp" });
});

test("a static address in one token and in separate tokens mean the same", (t) => {
  const expected = { mode: "static", address: ip("10.0.0.2"), prefixLength: 24, gateway: ip("10.0.0.1"), dnsServers: [ip("10.0.0.1"), ip("9.9.9.9")] };
  t.deepEqual(parseNetworkConfig("app=x ip=10.0.0.2/24,gw=10.0.0.1,dns=10.0.0.1,dns=9.9.9.9"), expected);
  t.deepEqual(parseNetworkConfig("ip=10.0.0.2/24 gw=10.0.0.1 dns=10.0.0.1 dns=9.9.9.9 app=x"), expected);
  t.deepEqual(parseNetworkConfig("dns=10.0.0.1 ip=10.0.0.2/24,gw=10.0.0.1 dns=9.9.9.9"), expected);
});

test("gw and dns are optional with a static address; /30 and /32 work", (t) => {
  t.deepEqual(parseNetworkConfig("ip=10.77.3.2/30"), { mode: "static", address: ip("10.77.3.2"), prefixLength: 30, gateway: undefined, dnsServers: [] });
  t.like(parseNetworkConfig("ip=10.77.3.3/32"), { prefixLength: 32 });
});

const bad: [string, string, string][] = [
  ["ip=10.0.0.2", "ip=10.0.0.2", "expected ip=dhcp or ip=ADDRESS/PREFIX"],
  ["ip=10.0.0.256/24", "ip=10.0.0.256/24", "the address \"10.0.0.256\" is not an IPv4 address"],
  ["ip=10.0.0.2/33", "ip=10.0.0.2/33", "the prefix length \"33\" is not a number from 0 to 32"],
  ["ip=10.0.0.2/024", "ip=10.0.0.2/024", "the prefix length \"024\""],
  ["ip=10.0.0.2/ 24", "ip=10.0.0.2/", "the prefix length \"\""],
  ["ip=01.0.0.2/24", "ip=01.0.0.2/24", "not an IPv4 address"],
  ["ip=10.0.0.0/24", "ip=10.0.0.0/24", "network or broadcast address of /24"],
  ["ip=10.0.0.255/24", "ip=10.0.0.255/24", "network or broadcast address of /24"],
  ["ip=127.0.0.1/8", "ip=127.0.0.1/8", "loopback"],
  ["ip=10.0.0.2/24,gw=10.0.1.1", "ip=10.0.0.2/24,gw=10.0.1.1", "the gateway 10.0.1.1 is not on 10.0.0.0/24"],
  ["ip=10.0.0.2/24 gw=10.0.0.2", "gw=10.0.0.2", "the gateway is the interface's own address"],
  ["ip=10.0.0.2/24 dns=name.server", "dns=name.server", "the DNS server \"name.server\" is not an IPv4 address"],
  ["ip=10.0.0.2/24,mask=1", "ip=10.0.0.2/24,mask=1", "\"mask=1\" is not gw=ADDRESS or dns=ADDRESS"],
  ["ip=10.0.0.2/24,gw=10.0.0.1 gw=10.0.0.3", "gw=10.0.0.3", "gw= is already given"],
  ["ip=10.0.0.2/24 ip=10.0.0.3/24", "ip=10.0.0.3/24", "ip= is already given"],
  ["ip=dhcp dns=10.0.0.1", "dns=10.0.0.1", "need a static address"],
  ["gw=10.0.0.1", "gw=10.0.0.1", "need a static address"],
  ["ip=static", "ip=static", "expected ip=dhcp or ip=ADDRESS/PREFIX"],
];
for (const [cmdline, token, why] of bad) {
  test(`refused: ${cmdline}`, (t) => {
    const error = t.throws(() => parseNetworkConfig(cmdline), { instanceOf: NetworkConfigError });
    t.is(error.token, token);
    t.true(error.message.startsWith(`Cannot use ${JSON.stringify(token)} on the kernel command line: `), error.message);
    t.true(error.message.includes(why), error.message);
  });
}

test("formatIpv4 and parseIpv4 are inverse", (t) => {
  for (const text of ["0.0.0.0", "10.77.200.2", "255.255.255.255", "93.184.216.34"]) t.is(formatIpv4(parseIpv4(text)!), text);
  t.is(parseIpv4("1.2.3"), undefined);
  t.is(parseIpv4("1.2.3.4.5"), undefined);
  t.is(parseIpv4("1.2.3.x"), undefined);
});
