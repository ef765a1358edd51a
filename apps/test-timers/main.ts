/**
 * test-timers: a few timers whose output order is fixed by their deadlines, not by the order
 * they were set in; then main's promise settles with 0. Expected lines, in order:
 *   timers: main started
 *   timers: microtask
 *   timers: timeout 10ms
 *   timers: interval tick 1
 *   timers: timeout 30ms
 *   timers: interval tick 2
 *   timers: interval tick 3
 *   timers: done
 */
export default {
  main(): Promise<number> {
    console.log("timers: main started");
    return new Promise((resolve) => {
      setTimeout(() => console.log("timers: timeout 30ms"), 30);
      setTimeout(() => console.log("timers: timeout 10ms"), 10);
      let ticks = 0;
      const interval = setInterval(() => {
        ticks += 1;
        console.log(`timers: interval tick ${ticks}`);
        if (ticks === 3) {
          clearInterval(interval);
          console.log("timers: done");
          resolve(0);
        }
      }, 20);
      queueMicrotask(() => console.log("timers: microtask"));
    });
  },
};
