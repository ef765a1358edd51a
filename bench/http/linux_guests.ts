/**
 * The Linux baseline guests of the HTTP benchmark, both on Debian's kernel with virtio-net
 * and a static address from the command line (bench_ip=, bench_gw=):
 *   busybox   busybox-static's `httpd -f -p 8080 -h /www`, an index file of the same text
 *   node      the host's own Node (process.execPath, with the libraries ldd lists and the
 *             loader) running http.createServer with http-hello's answer: the same body,
 *             `content-type: text/plain; charset=utf-8`
 * Each prints a line once its server is started (`linux-http: …`); the benchmark times the
 * first 200 from the host, not from that line.
 */
import { dynamicProgramFiles } from "../linux-guest/dynamic_program.ts";
import { prepareLinuxGuest, virtioNetModules, type LinuxGuest } from "../linux-guest/mod.ts";

const network = "ip link set lo up && ip addr add $bench_ip dev eth0 && ip link set eth0 up && ip route add default via $bench_gw";

/** apps/http-hello's handler, in Node: the same body for the same path, the same content type. */
const nodeServer = `const http = require("node:http");
http.createServer((request, response) => {
  const url = new URL(request.url, "http://localhost");
  response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
  response.end(\`Hello from Linux! You asked for \${url.pathname}\\n\`);
}).listen(8080, () => console.log("linux-http: node " + process.version + " serving on 8080"));
`;

export function busyboxHttpdGuest(): LinuxGuest {
  return prepareLinuxGuest({
    modules: virtioNetModules,
    run: `${network} && mkdir -p /www && echo "Hello from Linux! You asked for /" > /www/index.html && echo "linux-http: busybox httpd serving on 8080" && httpd -f -p 8080 -h /www`,
  });
}

export function nodeHttpGuest(): LinuxGuest {
  return prepareLinuxGuest({
    modules: virtioNetModules,
    run: `${network} && node /srv/server.js`,
    files: [...dynamicProgramFiles(process.execPath, "node"), { path: "srv/server.js", data: Buffer.from(nodeServer, "utf8") }],
  });
}
