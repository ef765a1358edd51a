/**
 * Connects to a Unix socket the VMM makes once it has started (a development channel, qemu's
 * gdbstub): retries every `retryMs` until `timeoutMs` has passed, then throws the last error.
 */
import net from "node:net";

export async function connectWhenReady(socketPath: string, timeoutMs: number, retryMs: number): Promise<net.Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const attempt = net.createConnection(socketPath, () => resolve(attempt));
        attempt.once("error", reject);
      });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
}
