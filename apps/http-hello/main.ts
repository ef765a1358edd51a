/**
 * http-hello: the smallest fetch handler — what `make run` boots. The kernel serves it over
 * HTTP/1.1 on port 8080 (env.PORT to change it) and prints the URL it answers on.
 *   curl http://127.0.0.1:8080/           → Hello from Skiff!
 */
export default {
  fetch(request: Request): Response {
    const url = new URL(request.url);
    return new Response(`Hello from Skiff! You asked for ${url.pathname}\n`, {
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  },
};
