/**
 * test-oom: allocates without bound — an array of ever longer strings and small objects,
 * all kept reachable — until the engine throws its out-of-memory error. It does not catch
 * it: the kernel must report the app as failed, and the machine must not hang or fault.
 */
export default {
  main(): number {
    const kept: unknown[] = [];
    let chunk = "x".repeat(1024);
    for (let round = 0; ; round++) {
      kept.push(chunk + String(round), { round, chunk: chunk.length, more: [round, round + 1] });
      if (round % 64 === 0) chunk += chunk.slice(0, 1024);
      if (round % 8192 === 0) console.log(`test-oom: ${kept.length} objects kept`);
    }
  },
};
