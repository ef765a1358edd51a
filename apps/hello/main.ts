/**
 * hello: the smallest Skiff app. It prints a greeting and exits with status 0.
 * `main(env)` is the entry point of apps that are not HTTP servers; what it returns
 * (a number, or nothing for 0) becomes the VM's exit status.
 */
export default {
  main(): number {
    console.log("Hello from Skiff!");
    return 0;
  },
};
