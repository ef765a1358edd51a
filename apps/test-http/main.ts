/**
 * test-http: the routes tests/vm/http.test.ts drives with curl, Node's fetch and raw bytes.
 *   GET  /hello          a short text body (Content-Length)
 *   POST /echo           the request body back, with its length in x-body-length
 *   GET  /stream?n=N     N lines written over time (a streaming body: chunked)
 *   GET  /throw          the handler throws (500, and the server carries on)
 *   GET  /headers        the request's method, URL and headers as JSON
 */
export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/hello":
        return new Response("hello, world\n", { headers: { "content-type": "text/plain" } });
      case "/echo": {
        const body = new Uint8Array(await request.arrayBuffer());
        return new Response(body, { headers: { "x-body-length": String(body.length), "content-type": "application/octet-stream" } });
      }
      case "/stream": {
        const lines = Number(url.searchParams.get("n") ?? 3);
        const encoder = new TextEncoder();
        let sent = 0;
        return new Response(new ReadableStream({
          async pull(controller) {
            if (sent === lines) return controller.close();
            await new Promise((resolve) => setTimeout(() => resolve(undefined), 20));
            controller.enqueue(encoder.encode(`line ${++sent}\n`));
          },
        }));
      }
      case "/throw":
        throw new Error("the handler failed on purpose");
      case "/headers":
        return Response.json({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers) });
      default:
        return new Response("not found\n", { status: 404 });
    }
  },
};
