/**
 * TupleTable (kernel-ts/net/tcp/tuple_table.ts): TCBs by 4-tuple under numeric keys. Every
 * field of the tuple tells entries apart, addresses with the top bit set included, and
 * deleting one leaves the others.
 */
import test from "ava";
import { TupleTable } from "../../../kernel-ts/net/tcp/tuple_table.ts";

test("each of the four fields tells entries apart; delete removes only its own", (t) => {
  const table = new TupleTable<string>();
  const base = [0x0a000002, 80, 0xc0a80001, 50000] as const;
  const variants: Array<[number, number, number, number]> = [
    [...base],
    [0x0a000003, 80, 0xc0a80001, 50000],
    [0x0a000002, 81, 0xc0a80001, 50000],
    [0x0a000002, 80, 0xc0a80002, 50000],
    [0x0a000002, 80, 0xc0a80001, 50001],
    [0xffffffff | 0, 65535, 0x80000000 | 0, 0], // negative int32 forms of high addresses
    [0, 0, 0, 65535],
  ];
  variants.forEach((tuple, i) => table.set(...tuple, `v${i}`));
  variants.forEach((tuple, i) => t.is(table.get(...tuple), `v${i}`, tuple.join(",")));
  t.is(table.get(0xffffffff, 65535, 0x80000000, 0), "v5", "an address is the same whether given as int32 or uint32");
  table.delete(...variants[0]!);
  t.false(table.has(...variants[0]!));
  variants.slice(1).forEach((tuple, i) => t.is(table.get(...tuple), `v${i + 1}`));
  table.delete(...variants[0]!); // absent: nothing happens
  t.true(table.has(...variants[1]!));
});
