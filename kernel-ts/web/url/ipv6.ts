/**
 * ipv6: the URL Standard's IPv6 parser and serializer (§ 3.5, § 3.6): eight 16-bit
 * pieces, "::" compression, a trailing dotted IPv4 part; serialized in lower-case hex
 * with the first longest run of two or more zero pieces compressed (RFC 5952).
 */

const EOF_CODE = -1;

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** The eight pieces of the address in `input` (without brackets), or null on failure. */
export function parseIpv6(input: string): number[] | null {
  const address = [0, 0, 0, 0, 0, 0, 0, 0];
  let pieceIndex = 0;
  let compress: number | null = null;
  let pointer = 0;
  const at = (index: number): number => (index < input.length ? input.charCodeAt(index) : EOF_CODE);
  const COLON = 0x3a;
  const DOT = 0x2e;

  if (at(pointer) === COLON) {
    if (at(pointer + 1) !== COLON) return null;
    pointer += 2;
    pieceIndex++;
    compress = pieceIndex;
  }
  while (at(pointer) !== EOF_CODE) {
    if (pieceIndex === 8) return null;
    if (at(pointer) === COLON) {
      if (compress !== null) return null;
      pointer++;
      pieceIndex++;
      compress = pieceIndex;
      continue;
    }
    let value = 0;
    let length = 0;
    while (length < 4 && isHex(at(pointer))) {
      value = value * 0x10 + parseInt(input[pointer]!, 16);
      pointer++;
      length++;
    }
    if (at(pointer) === DOT) {
      if (length === 0) return null;
      pointer -= length;
      if (pieceIndex > 6) return null;
      let numbersSeen = 0;
      while (at(pointer) !== EOF_CODE) {
        let ipv4Piece: number | null = null;
        if (numbersSeen > 0) {
          if (at(pointer) === DOT && numbersSeen < 4) pointer++;
          else return null;
        }
        if (!isDigit(at(pointer))) return null;
        while (isDigit(at(pointer))) {
          const number = at(pointer) - 0x30;
          if (ipv4Piece === null) ipv4Piece = number;
          else if (ipv4Piece === 0) return null;
          else ipv4Piece = ipv4Piece * 10 + number;
          if (ipv4Piece > 255) return null;
          pointer++;
        }
        address[pieceIndex] = address[pieceIndex]! * 0x100 + ipv4Piece!;
        numbersSeen++;
        if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
      }
      if (numbersSeen !== 4) return null;
      break;
    } else if (at(pointer) === COLON) {
      pointer++;
      if (at(pointer) === EOF_CODE) return null;
    } else if (at(pointer) !== EOF_CODE) {
      return null;
    }
    address[pieceIndex] = value;
    pieceIndex++;
  }
  if (compress !== null) {
    let swaps = pieceIndex - compress;
    pieceIndex = 7;
    while (pieceIndex !== 0 && swaps > 0) {
      const other = compress + swaps - 1;
      const saved = address[pieceIndex]!;
      address[pieceIndex] = address[other]!;
      address[other] = saved;
      pieceIndex--;
      swaps--;
    }
  } else if (pieceIndex !== 8) {
    return null;
  }
  return address;
}

/** The first longest run of two or more zero pieces, or null. */
function compressedRun(address: readonly number[]): number | null {
  let best: number | null = null;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (address[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && address[end] === 0) end++;
    if (end - i > bestLength) {
      best = i;
      bestLength = end - i;
    }
    i = end;
  }
  return best;
}

/** § 3.6, without the brackets. */
export function serializeIpv6(address: readonly number[]): string {
  const compress = compressedRun(address);
  let output = "";
  let ignoreZero = false;
  for (let i = 0; i < 8; i++) {
    if (ignoreZero && address[i] === 0) continue;
    ignoreZero = false;
    if (compress === i) {
      output += i === 0 ? "::" : ":";
      ignoreZero = true;
      continue;
    }
    output += address[i]!.toString(16);
    if (i !== 7) output += ":";
  }
  return output;
}
