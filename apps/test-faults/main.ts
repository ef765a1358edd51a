/**
 * test-faults: an HTTP app with one route per way an app fails, for tests/vm/app_faults.test.ts.
 * Each failing route must cost only its own request (500), never the server:
 *   /ok     200 "ok"
 *   /throw  throws from the handler
 *   /loop   never returns (the watchdog stops it at the manifest's budget, 100 ms by default)
 *   /oom    allocates 1 MiB buffers, all kept, until the engine throws "out of memory";
 *           the buffers die with the handler's frame, so the next request has the memory back
 *   /count  how many requests the app has seen (its state survives the failures)
 */
let requests = 0;

function allocateUntilOutOfMemory(): never {
  const kept: ArrayBuffer[] = [];
  for (;;) kept.push(new ArrayBuffer(1024 * 1024));
}

export default {
  fetch(request: Request): Response {
    requests += 1;
    const path = new URL(request.url).pathname;
    switch (path) {
      case "/ok":
        return new Response("ok\n");
      case "/count":
        return new Response(`${requests}\n`);
      case "/throw":
        throw new Error("test-faults: /throw on purpose");
      case "/loop":
        for (;;) { /* runs until the watchdog stops it */ }
      case "/oom":
        allocateUntilOutOfMemory();
    }
    return new Response("not found\n", { status: 404 });
  },
};
