/** What the HAL conformance check defines as `skiff:conformance` before loading test-import. */
declare module "skiff:conformance" {
  export const answer: number;
  export const greeting: string;
}
