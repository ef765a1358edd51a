/**
 * The kv conformance corpus: what a client sends, and memcached 1.6.18's exact answer,
 * byte for byte, on a fresh server. tests/unit/kv/corpus.test.ts runs every case against
 * the kv server (whole, split at every byte, and one byte at a time);
 * tests/unit/kv/memcached_reference.test.ts runs the same cases against Debian's memcached,
 * so every answer here is memcached's, not our reading of it.
 *
 * Left out, because memcached's own answer depends on timing or is inconsistent: delays
 * and relative expiry (the kv tests cover them on a virtual clock), VERSION (each server
 * names itself), stats values, and a multi-get with a key over 250 bytes after a hit
 * (memcached 1.6.18 then sometimes drops its error; kv refuses such a get whole).
 */

export interface CorpusCase {
  readonly name: string;
  /** The client's bytes, latin1. */
  readonly send: string;
  /** memcached's answer, latin1. */
  readonly expect: string;
  /** memcached closes the connection after answering. */
  readonly closes?: boolean;
  /** Too long to replay one byte at a time (the large values). */
  readonly large?: boolean;
  /**
   * memcached's answer depends on how its reads cut the bytes: a read that leaves more
   * than 2048 bytes without a line end closes the connection, and what it had not sent yet
   * is dropped. Such a case is only checked as one read.
   */
  readonly readsMatter?: boolean;
}

const K250 = "k".repeat(250);
const K251 = "k".repeat(251);
const v = (length: number): string => "v".repeat(length);

export const CORPUS: readonly CorpusCase[] = [
  // Storage and retrieval
  { name: "set then get", send: "set a 0 0 1\r\nx\r\nget a\r\n", expect: "STORED\r\nVALUE a 0 1\r\nx\r\nEND\r\n" },
  { name: "get of a missing key", send: "get a\r\n", expect: "END\r\n" },
  { name: "multi-get: misses skipped, repeats answered", send: "set a 0 0 1\r\n1\r\nset b 5 0 2\r\n22\r\nget a zz b a\r\n", expect: "STORED\r\nSTORED\r\nVALUE a 0 1\r\n1\r\nVALUE b 5 2\r\n22\r\nVALUE a 0 1\r\n1\r\nEND\r\n" },
  { name: "gets shows CAS uniques", send: "set a 0 0 1\r\n1\r\nset b 0 0 1\r\n2\r\ngets a b\r\n", expect: "STORED\r\nSTORED\r\nVALUE a 0 1 1\r\n1\r\nVALUE b 0 1 2\r\n2\r\nEND\r\n" },
  { name: "thirty keys in one get", send: `set a 0 0 1\r\nq\r\nget${" a".repeat(30)}\r\n`, expect: `STORED\r\n${"VALUE a 0 1\r\nq\r\n".repeat(30)}END\r\n` },
  { name: "lines may end in LF alone", send: "set a 0 0 1\nx\r\nget a\n", expect: "STORED\r\nVALUE a 0 1\r\nx\r\nEND\r\n" },
  { name: "runs of spaces separate words", send: "set  a  0  0  1 \r\nq\r\nget  a \r\n", expect: "STORED\r\nVALUE a 0 1\r\nq\r\nEND\r\n" },
  { name: "a tab is not a separator", send: "set a\t0 0 1\r\nq\r\n", expect: "ERROR\r\nERROR\r\n" },
  { name: "CR CR LF: the first CR is part of the key", send: "set a 0 0 1\r\nq\r\nget a\r\r\n", expect: "STORED\r\nEND\r\n" },
  { name: "a NUL ends the command line", send: "set a 0 0 1\r\nq\r\nget a\u0000 zz\r\n", expect: "STORED\r\nVALUE a 0 1\r\nq\r\nEND\r\n" },
  { name: "zero-length value", send: "set a 0 0 0\r\n\r\nget a\r\n", expect: "STORED\r\nVALUE a 0 0\r\n\r\nEND\r\n" },
  { name: "binary value with CR LF inside", send: "set a 0 0 6\r\n\r\n\u0000\r\n\u00ff\r\nget a\r\n", expect: "STORED\r\nVALUE a 0 6\r\n\r\n\u0000\r\n\u00ff\r\nEND\r\n" },
  { name: "a key of 250 bytes is stored", send: `set ${K250} 0 0 1\r\nx\r\nget ${K250}\r\n`, expect: `STORED\r\nVALUE ${K250} 0 1\r\nx\r\nEND\r\n` },
  { name: "flags up to 2^32-1", send: "set a 4294967295 0 1\r\nx\r\nget a\r\n", expect: "STORED\r\nVALUE a 4294967295 1\r\nx\r\nEND\r\n" },
  { name: "flags 2^32 wrap to 0 (memcached keeps 32 bits)", send: "set a 4294967296 0 1\r\nx\r\nget a\r\n", expect: "STORED\r\nVALUE a 0 1\r\nx\r\nEND\r\n" },
  { name: "an unknown last word is not noreply", send: "set a 0 0 1 foo\r\nz\r\nget a\r\n", expect: "STORED\r\nVALUE a 0 1\r\nz\r\nEND\r\n" },
  { name: "noreply silences STORED", send: "set a 0 0 1 noreply\r\ny\r\nget a\r\n", expect: "VALUE a 0 1\r\ny\r\nEND\r\n" },
  { name: "add, replace, append, prepend", send: "add a 0 0 1\r\nq\r\nadd a 0 0 1\r\nr\r\nreplace a 7 0 1\r\ns\r\nreplace zz 0 0 1\r\nx\r\nappend a 9 0 2\r\nAB\r\nprepend a 9 0 2\r\nCD\r\ngets a\r\nappend zz 0 0 1\r\nx\r\nprepend zz 0 0 1\r\nx\r\n", expect: "STORED\r\nNOT_STORED\r\nSTORED\r\nNOT_STORED\r\nSTORED\r\nSTORED\r\nVALUE a 7 5 4\r\nCDsAB\r\nEND\r\nNOT_STORED\r\nNOT_STORED\r\n" },
  { name: "cas: match, stale, missing, zero", send: "set a 0 0 1\r\nx\r\ngets a\r\ncas a 0 0 1 1\r\ny\r\ncas a 0 0 1 1\r\nz\r\ncas zz 0 0 1 1\r\nz\r\ncas a 0 0 1 0\r\nz\r\ngets a\r\n", expect: "STORED\r\nVALUE a 0 1 1\r\nx\r\nEND\r\nSTORED\r\nEXISTS\r\nNOT_FOUND\r\nEXISTS\r\nVALUE a 0 1 2\r\ny\r\nEND\r\n" },
  { name: "cas race: another set in between wins", send: "set a 0 0 1\r\nx\r\ngets a\r\nset a 0 0 1\r\ny\r\ncas a 0 0 1 1\r\nz\r\nget a\r\n", expect: "STORED\r\nVALUE a 0 1 1\r\nx\r\nEND\r\nSTORED\r\nEXISTS\r\nVALUE a 0 1\r\ny\r\nEND\r\n" },
  { name: "cas noreply", send: "set a 0 0 1\r\nx\r\ncas a 0 0 1 1 noreply\r\ny\r\ncas a 0 0 1 1 noreply\r\nz\r\nget a\r\n", expect: "STORED\r\nVALUE a 0 1\r\ny\r\nEND\r\n" },
  { name: "negative exptime: stored and expired at once", send: "set a 0 0 1\r\nx\r\nset a 0 -1 1\r\ny\r\nget a\r\n", expect: "STORED\r\nSTORED\r\nEND\r\n" },
  { name: "exptime 2^31 is negative as int32: expired", send: "set a 0 2147483648 1\r\nx\r\nget a\r\n", expect: "STORED\r\nEND\r\n" },
  { name: "exptime 2^32 is 0 as int32: never expires", send: "set a 0 4294967296 1\r\nx\r\nget a\r\n", expect: "STORED\r\nVALUE a 0 1\r\nx\r\nEND\r\n" },
  { name: "exptime of 30 days is relative", send: "set a 0 2592000 1\r\nx\r\nget a\r\n", expect: "STORED\r\nVALUE a 0 1\r\nx\r\nEND\r\n" },
  { name: "exptime past 30 days is absolute: 1970 has passed", send: "set a 0 2592001 1\r\nx\r\nget a\r\n", expect: "STORED\r\nEND\r\n" },
  { name: "data length 2^32+1 is 1 as int32", send: "set a 0 0 4294967297\r\nx\r\nget a\r\n", expect: "STORED\r\nVALUE a 0 1\r\nx\r\nEND\r\n" },

  // Refused storage lines: no data block is read, so the block is taken as a command
  { name: "too few words", send: "set a 0 0\r\n", expect: "ERROR\r\n" },
  { name: "too many words", send: "set a 0 0 1 2 3\r\nx\r\n", expect: "ERROR\r\nERROR\r\n" },
  { name: "cas without its unique", send: "cas a 0 0 1\r\nz\r\n", expect: "ERROR\r\nERROR\r\n" },
  { name: "bad flags", send: "set a x 0 1\r\nx\r\n", expect: "CLIENT_ERROR bad command line format\r\nERROR\r\n" },
  { name: "negative flags", send: "set a -1 0 1\r\nx\r\n", expect: "CLIENT_ERROR bad command line format\r\nERROR\r\n" },
  { name: "bad exptime", send: "set a 0 x 1\r\nx\r\n", expect: "CLIENT_ERROR bad command line format\r\nERROR\r\n" },
  { name: "bad length", send: "set a 0 0 x\r\nx\r\n", expect: "CLIENT_ERROR bad command line format\r\nERROR\r\n" },
  { name: "negative length", send: "set a 0 0 -1\r\nx\r\n", expect: "CLIENT_ERROR bad command line format\r\nERROR\r\n" },
  { name: "length past INT_MAX - 2", send: "set a 0 0 2147483646\r\nx\r\n", expect: "CLIENT_ERROR bad command line format\r\nERROR\r\n" },
  { name: "bad cas unique", send: "set a 0 0 1\r\nq\r\ncas a 0 0 1 x\r\nz\r\ncas a 0 0 1 -1\r\nz\r\n", expect: "STORED\r\nCLIENT_ERROR bad command line format\r\nERROR\r\nCLIENT_ERROR bad command line format\r\nERROR\r\n" },
  { name: "key of 251 bytes", send: `set ${K251} 0 0 1\r\nx\r\nget a\r\n`, expect: "CLIENT_ERROR bad command line format\r\nERROR\r\nEND\r\n" },
  { name: "noreply silences a refusal, not the word count's ERROR", send: `add ${K251} 0 0 1 noreply\r\nx\r\nset a 0 0 noreply\r\n`, expect: "ERROR\r\n" },
  { name: "bad append numbers", send: "append a 0 0 x\r\nAB\r\nappend a x 0 1\r\nA\r\n", expect: "CLIENT_ERROR bad command line format\r\nERROR\r\nCLIENT_ERROR bad command line format\r\nERROR\r\n" },

  // Bad data chunks: <bytes> + 2 are consumed whatever they are
  { name: "bad chunk, the extra bytes then a command", send: "set a 0 0 1\r\nq\r\nset a 0 0 1\r\nxyzget a\r\n", expect: "STORED\r\nCLIENT_ERROR bad data chunk\r\nVALUE a 0 1\r\nq\r\nEND\r\n" },
  { name: "bad chunk ending in CR", send: "set a 0 0 1\r\nq\r\nset a 0 0 1\r\nxy\r\nget a\r\n", expect: "STORED\r\nCLIENT_ERROR bad data chunk\r\nERROR\r\nVALUE a 0 1\r\nq\r\nEND\r\n" },
  { name: "bad chunk of LF LF", send: "set a 0 0 1\r\nq\r\nset a 0 0 1\r\nx\n\nget a\r\n", expect: "STORED\r\nCLIENT_ERROR bad data chunk\r\nVALUE a 0 1\r\nq\r\nEND\r\n" },
  { name: "noreply silences a bad chunk", send: "set a 0 0 1\r\nq\r\nset a 0 0 1 noreply\r\nxyz\r\nget a\r\n", expect: "STORED\r\nERROR\r\nVALUE a 0 1\r\nq\r\nEND\r\n" },

  // Sizes
  { name: "the largest item: 1,048,516 bytes under a 1-byte key", send: `set k 0 0 1048516\r\n${v(1048516)}\r\nset j 0 0 1\r\nx\r\n`, expect: "STORED\r\nSTORED\r\n", large: true },
  { name: "one byte more is too large, and the data is discarded", send: `set k 0 0 1048517\r\n${v(1048517)}\r\nget k\r\n`, expect: "SERVER_ERROR object too large for cache\r\nEND\r\n", large: true },
  { name: "non-zero flags take 4 bytes of the item", send: `set k 1 0 1048512\r\n${v(1048512)}\r\nset k 1 0 1048513\r\n${v(1048513)}\r\nget j\r\n`, expect: "STORED\r\nSERVER_ERROR object too large for cache\r\nEND\r\n", large: true },
  { name: "a set too large drops the old value", send: `set a 0 0 1\r\nq\r\nset a 0 0 2000000\r\n${v(2000000)}\r\nget a\r\n`, expect: "STORED\r\nSERVER_ERROR object too large for cache\r\nEND\r\n", large: true },
  { name: "an add too large leaves the old value", send: `set a 0 0 1\r\nq\r\nadd a 0 0 2000000\r\n${v(2000000)}\r\nget a\r\n`, expect: "STORED\r\nSERVER_ERROR object too large for cache\r\nVALUE a 0 1\r\nq\r\nEND\r\n", large: true },
  { name: "too large with noreply: silent", send: `set a 0 0 1\r\nq\r\nset a 0 0 2000000 noreply\r\n${v(2000000)}\r\nget a\r\n`, expect: "STORED\r\nEND\r\n", large: true },
  { name: "an append past the item size is not stored", send: `set k 0 0 1048000\r\n${v(1048000)}\r\nappend k 0 0 1000\r\n${v(1000)}\r\nappend k 0 0 516\r\n${v(516)}\r\nappend k 0 0 1\r\nx\r\n`, expect: "STORED\r\nNOT_STORED\r\nSTORED\r\nNOT_STORED\r\n", large: true },

  // incr and decr
  { name: "decr pads in place, incr grows", send: "set n 0 0 2\r\n10\r\ndecr n 1\r\nget n\r\nincr n 1\r\nget n\r\nincr n 100\r\nget n\r\ndecr n 1000\r\nget n\r\n", expect: "STORED\r\n9\r\nVALUE n 0 2\r\n9 \r\nEND\r\n10\r\nVALUE n 0 2\r\n10\r\nEND\r\n110\r\nVALUE n 0 3\r\n110\r\nEND\r\n0\r\nVALUE n 0 3\r\n0  \r\nEND\r\n" },
  { name: "incr wraps at 2^64", send: "set n 0 0 20\r\n18446744073709551615\r\nincr n 1\r\nget n\r\nincr n 18446744073709551615\r\nget n\r\n", expect: "STORED\r\n0\r\nVALUE n 0 20\r\n0                   \r\nEND\r\n18446744073709551615\r\nVALUE n 0 20\r\n18446744073709551615\r\nEND\r\n" },
  { name: "bad deltas", send: "set n 0 0 1\r\n5\r\nincr n 18446744073709551616\r\nincr n -1\r\nincr n abc\r\nincr n 1x\r\nincr n\r\nincr n 1 noreply\r\nget n\r\nincr n 1 2\r\nincr n 1 noreply 2\r\n", expect: "STORED\r\nCLIENT_ERROR invalid numeric delta argument\r\nCLIENT_ERROR invalid numeric delta argument\r\nCLIENT_ERROR invalid numeric delta argument\r\nCLIENT_ERROR invalid numeric delta argument\r\nERROR\r\nVALUE n 0 1\r\n6\r\nEND\r\n7\r\nERROR\r\n" },
  { name: "non-numeric values and missing keys", send: "set n 0 0 3\r\nabc\r\nincr n 1\r\ndecr n 1\r\nincr zz 1\r\ndecr zz 1\r\nset e 0 0 0\r\n\r\nincr e 1\r\n", expect: "STORED\r\nCLIENT_ERROR cannot increment or decrement non-numeric value\r\nCLIENT_ERROR cannot increment or decrement non-numeric value\r\nNOT_FOUND\r\nNOT_FOUND\r\nSTORED\r\nCLIENT_ERROR cannot increment or decrement non-numeric value\r\n" },
  { name: "what strtoull reads as a number", send: "set a 0 0 3\r\n 12\r\nincr a 1\r\nset b 0 0 3\r\n12 \r\nincr b 1\r\nset c 0 0 3\r\n1 2\r\nincr c 1\r\nset d 0 0 3\r\n12a\r\nincr d 1\r\nset e 0 0 2\r\n-1\r\nincr e 1\r\nset f 0 0 2\r\n-0\r\nincr f 1\r\nset g 0 0 2\r\n+5\r\nincr g 1\r\nget a b c d e f g\r\n", expect: "STORED\r\n13\r\nSTORED\r\n13\r\nSTORED\r\n2\r\nSTORED\r\nCLIENT_ERROR cannot increment or decrement non-numeric value\r\nSTORED\r\nCLIENT_ERROR cannot increment or decrement non-numeric value\r\nSTORED\r\n1\r\nSTORED\r\n6\r\nVALUE a 0 3\r\n13 \r\nVALUE b 0 3\r\n13 \r\nVALUE c 0 3\r\n2  \r\nVALUE d 0 3\r\n12a\r\nVALUE e 0 2\r\n-1\r\nVALUE f 0 2\r\n1 \r\nVALUE g 0 2\r\n6 \r\nEND\r\n" },
  { name: "leading zeros beyond 20 digits", send: "set n 0 0 25\r\n0000000000000000000000001\r\nincr n 1\r\nget n\r\n", expect: "STORED\r\n2\r\nVALUE n 0 25\r\n2                        \r\nEND\r\n" },
  { name: "incr keeps flags and takes a new CAS unique", send: "set n 5 0 2\r\n99\r\nincr n 1\r\ngets n\r\n", expect: "STORED\r\n100\r\nVALUE n 5 3 2\r\n100\r\nEND\r\n" },
  { name: "incr key of 251 bytes", send: `incr ${K251} 1\r\n`, expect: "CLIENT_ERROR bad command line format\r\n" },

  // delete, touch, gat
  { name: "delete and its legacy forms", send: "set a 0 0 1\r\nq\r\ndelete a\r\ndelete a\r\nset a 0 0 1\r\nq\r\ndelete a 0\r\ndelete a noreply\r\ndelete a 0 noreply\r\ndelete a 1\r\ndelete a 0 1\r\ndelete a x noreply\r\ndelete a noreply 0\r\ndelete\r\ndelete a b c d\r\n", expect: "STORED\r\nDELETED\r\nNOT_FOUND\r\nSTORED\r\nDELETED\r\nCLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\nCLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\nCLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\nERROR\r\nERROR\r\n" },
  { name: "delete key of 251 bytes", send: `delete ${K251}\r\n`, expect: "CLIENT_ERROR bad command line format\r\n" },
  { name: "touch", send: "set t 0 0 1\r\nq\r\ntouch t 10\r\ntouch zz 10\r\ntouch t\r\ntouch t x\r\ntouch t 10 noreply\r\ntouch t 10 x\r\ntouch t -1\r\nget t\r\n", expect: "STORED\r\nTOUCHED\r\nNOT_FOUND\r\nERROR\r\nCLIENT_ERROR invalid exptime argument\r\nTOUCHED\r\nTOUCHED\r\nEND\r\n" },
  { name: "touch key of 251 bytes", send: `touch ${K251} 1\r\n`, expect: "CLIENT_ERROR bad command line format\r\n" },
  { name: "gat and gats", send: "set g 0 0 1\r\nq\r\ngat 100 g zz\r\ngats 100 g\r\ngat 10\r\ngat x g\r\ngat\r\ngat -1 g\r\nget g\r\n", expect: "STORED\r\nVALUE g 0 1\r\nq\r\nEND\r\nVALUE g 0 1 1\r\nq\r\nEND\r\nEND\r\nCLIENT_ERROR invalid exptime argument\r\nERROR\r\nVALUE g 0 1\r\nq\r\nEND\r\nEND\r\n" },
  { name: "get key of 251 bytes", send: `get ${K251}\r\n`, expect: "CLIENT_ERROR bad command line format\r\n" },
  { name: "get: a key of 251 bytes before others", send: `get ${K251} a\r\n`, expect: "CLIENT_ERROR bad command line format\r\n" },

  // Other commands
  { name: "flush_all and its forms", send: "set a 0 0 1\r\nq\r\nflush_all\r\nget a\r\nflush_all 0\r\nflush_all noreply\r\nflush_all 0 noreply\r\nflush_all x\r\nflush_all -1\r\nflush_all 1 2 3\r\nflush_all x noreply\r\n", expect: "STORED\r\nOK\r\nEND\r\nOK\r\nCLIENT_ERROR invalid exptime argument\r\nOK\r\nERROR\r\n" },
  { name: "verbosity", send: "verbosity\r\nverbosity 1\r\nverbosity x\r\nverbosity 1 noreply\r\nverbosity 1 2\r\nverbosity 1 2 3\r\nverbosity 0\r\n", expect: "ERROR\r\nOK\r\nCLIENT_ERROR bad command line format\r\nOK\r\nERROR\r\nOK\r\n" },
  { name: "stats reset", send: "stats reset\r\n", expect: "RESET\r\n" },
  { name: "unknown commands", send: "\r\nfoo\r\nGET a\r\nget\r\nget \r\ngets\r\na\r\nstats nosuch\r\n", expect: "ERROR\r\nERROR\r\nERROR\r\nERROR\r\nERROR\r\nERROR\r\nERROR\r\nERROR\r\n" },
  { name: "quit closes after the answers before it", send: "set a 0 0 1\r\nq\r\nget a\r\nquit\r\nget a\r\n", expect: "STORED\r\nVALUE a 0 1\r\nq\r\nEND\r\n", closes: true },
  { name: "quit with words", send: "quit x\r\nget a\r\n", expect: "", closes: true },
  { name: "an HTTP request line closes the connection", send: "GET / HTTP/1.1\r\nget a\r\n", expect: "", closes: true },
  { name: "get with HTTP/ as a key does not", send: "get a HTTP/1.1\r\n", expect: "END\r\n" },

  // Long lines
  { name: "a command line past 2048 bytes without its end closes", send: `set ${"x".repeat(3000)}`, expect: "", closes: true },
  { name: "garbage past 2048 bytes closes, dropping the answers not yet sent", send: `set a 0 0 1\r\nq\r\n${"x".repeat(3000)}`, expect: "", closes: true, readsMatter: true },
  { name: "a long line with its end is answered", send: `set a 0 0 1\r\nq\r\n${"x".repeat(3000)}\r\n`, expect: "STORED\r\nERROR\r\n", readsMatter: true },
  { name: "a multi-get may be longer", send: `set a 0 0 1\r\nq\r\nget${" zz".repeat(1500)} a\r\n`, expect: "STORED\r\nVALUE a 0 1\r\nq\r\nEND\r\n" },
  { name: "a multi-get after 90 spaces may be longer", send: `${" ".repeat(90)}get${" zz".repeat(1500)}\r\n`, expect: "END\r\n" },
  { name: "but not after 120 spaces", send: `${" ".repeat(120)}get${" zz".repeat(1500)}`, expect: "", closes: true },
  { name: "nor a gat", send: `gat 0${" zz".repeat(1500)}`, expect: "", closes: true },

  // Pipelining
  { name: "fifty commands in one write", send: Array.from({ length: 25 }, (_, i) => `set k${i} ${i} 0 ${String(i).length}\r\n${i}\r\nget k${i} k${i - 1}\r\n`).join(""), expect: Array.from({ length: 25 }, (_, i) => `STORED\r\nVALUE k${i} ${i} ${String(i).length}\r\n${i}\r\n${i > 0 ? `VALUE k${i - 1} ${i - 1} ${String(i - 1).length}\r\n${i - 1}\r\n` : ""}END\r\n`).join("") },
];
