/**
 * ipv4: the URL Standard's IPv4 parser and serializer (§ 3.5, § 3.6), numeric forms
 * included: "0x7f.1" and "2130706433" are 127.0.0.1, octal parts start with "0", and the
 * last part may fill the remaining bytes.
 *
 * Also the "ends in a number" check that decides whether a domain is parsed as IPv4.
 */

const FAILURE = null;

/** The IPv4 number parser: a part in decimal, octal ("0…") or hex ("0x…"); null on failure. */
function parseIpv4Number(part: string): number | null {
  if (part === "") return FAILURE;
  let input = part;
  let radix = 10;
  if (input.length >= 2 && (input.startsWith("0x") || input.startsWith("0X"))) {
    input = input.slice(2);
    radix = 16;
  } else if (input.length >= 2 && input.startsWith("0")) {
    input = input.slice(1);
    radix = 8;
  }
  if (input === "") return 0;
  const pattern = radix === 10 ? /^[0-9]+$/ : radix === 16 ? /^[0-9A-Fa-f]+$/ : /^[0-7]+$/;
  if (!pattern.test(input)) return FAILURE;
  return parseInt(input, radix);
}

/** § 3.5 "ends in a number checker". */
export function endsInANumber(input: string): boolean {
  const parts = input.split(".");
  if (parts[parts.length - 1] === "") {
    if (parts.length === 1) return false;
    parts.pop();
  }
  const last = parts[parts.length - 1]!;
  if (last !== "" && /^[0-9]+$/.test(last)) return true;
  return parseIpv4Number(last) !== FAILURE;
}

/** § 3.5 "IPv4 parser": the address as a 32-bit number, or null on failure. */
export function parseIpv4(input: string): number | null {
  const parts = input.split(".");
  if (parts[parts.length - 1] === "" && parts.length > 1) parts.pop();
  if (parts.length > 4) return FAILURE;
  const numbers: number[] = [];
  for (const part of parts) {
    const value = parseIpv4Number(part);
    if (value === FAILURE) return FAILURE;
    numbers.push(value);
  }
  for (let i = 0; i < numbers.length - 1; i++) {
    if (numbers[i]! > 255) return FAILURE;
  }
  const last = numbers[numbers.length - 1]!;
  if (last >= 256 ** (5 - numbers.length)) return FAILURE;
  let address = last;
  for (let i = 0; i < numbers.length - 1; i++) address += numbers[i]! * 256 ** (3 - i);
  return address;
}

/** § 3.6: four decimal octets. */
export function serializeIpv4(address: number): string {
  const octets: number[] = [];
  let n = address;
  for (let i = 0; i < 4; i++) {
    octets.unshift(n % 256);
    n = Math.floor(n / 256);
  }
  return octets.join(".");
}
