/**
 * test-import: imports a module the kernel defined with Platform.defineModule. The HAL
 * conformance check "defineModule-offers-a-module-to-apps" defines `skiff:conformance` and
 * loads this app; its default export carries what the import gave, for the check to read.
 */
import { answer, greeting } from "skiff:conformance";

export default {
  answer,
  greeting,
  main(): number {
    console.log(`test-import: ${greeting} ${answer}`);
    return 0;
  },
};
