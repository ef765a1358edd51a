/**
 * test-contexts-b: the same checks as test-contexts, as a second app in the same machine
 * (`app=test-contexts,test-contexts-b`): each must keep its own globalThis.
 */
export { default } from "../test-contexts/main.ts";
