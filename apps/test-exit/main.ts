/**
 * test-exit: returns the exit status named by env.code (default 42), so tests can check that
 * an app's status reaches the VMM's exit status: `skiff run test-exit --cmdline env.code=7`.
 */
export default {
  main(env: Record<string, string>): number {
    const code = Number(env.code ?? 42);
    console.log(`test-exit: returning ${code}`);
    return code;
  },
};
