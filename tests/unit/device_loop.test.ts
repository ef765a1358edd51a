/**
 * device_loop's two helpers: isReady reads a device's bit of a ReadySet on both sides of
 * bit 31 (written out in the kernel bundle, so its arithmetic is all there is), and
 * LoopHold's `held` follows update() while the loop's keep-alive is taken and given back once.
 */
import test from "ava";
import { isReady, LoopHold, type DeviceLoop } from "../../kernel-ts/dev/device_loop.ts";

test("isReady reads each bit of a ReadySet up to bit 52, below and above bit 31", (t) => {
  for (const bits of [[0], [30], [31], [0, 31, 32], [33, 52], [5, 40, 51], []]) {
    const ready = bits.reduce((sum, bit) => sum + 2 ** bit, 0);
    for (let index = 0; index <= 52; index++) t.is(isReady(ready, index), bits.includes(index), `bit ${index} of ${ready}`);
  }
});

test("LoopHold takes the loop's keep-alive once, gives it back once, and says so in held", (t) => {
  let holds = 0;
  const loop: DeviceLoop = {
    onPoll: () => () => {},
    onFlush: () => () => {},
    requestTurn: () => {},
    keepAlive: () => {
      holds++;
      return () => { holds--; };
    },
  };
  const hold = new LoopHold(loop);
  t.false(hold.held);
  hold.update(true);
  hold.update(true);
  t.true(hold.held);
  t.is(holds, 1);
  hold.update(false);
  hold.update(false);
  t.false(hold.held);
  t.is(holds, 0);
});
