/** net/stack: one interface driven by the event loop (net_stack.ts). */
export { NetStack, type NetLoop, type NetStackOptions, type StackDevice } from "./net_stack.ts";
