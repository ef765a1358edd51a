/**
 * test-idle: sleeps env.ms milliseconds (default 10000) on one setTimeout and exits 0, so the
 * benchmark can measure what an idle guest costs the host (bench/devices/idle.ts). Lines:
 *   idle: sleeping N ms
 *   idle: woke after N ms
 */
export default {
  main(env: Record<string, string | undefined>): Promise<number> {
    const ms = Number(env.ms ?? "10000");
    if (!(ms >= 0)) throw new RangeError(`Cannot use env.ms=${env.ms}: expected milliseconds >= 0`);
    const started = Date.now();
    console.log(`idle: sleeping ${ms} ms`);
    return new Promise((resolve) => {
      setTimeout(() => {
        console.log(`idle: woke after ${Date.now() - started} ms`);
        resolve(0);
      }, ms);
    });
  },
};
