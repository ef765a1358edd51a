/**
 * test-throw: throws an Error from two calls deep, so the kernel's report of a failed app
 * has a message and stack frames to show (checkStock, placeOrder, main).
 */
function checkStock(item: string): never {
  throw new Error(`test-throw: out of ${item} on purpose`);
}

function placeOrder(item: string): void {
  checkStock(item);
}

export default {
  main(): number {
    placeOrder("widgets");
    return 0;
  },
};
