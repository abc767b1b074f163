/** Hostile plugin: raw TCP, node:net and node:http to a host it is not granted. */
import { definePipe, definePlugin } from "../../../plugin.ts";
import * as net from "node:net";
import * as http from "node:http";

function bounded<T>(p: Promise<T>): Promise<T | string> {
  return Promise.race([p, new Promise<string>((r) => setTimeout(() => r("no answer"), 2000))]);
}

export default definePlugin({
  name: "wall-connect-not-granted",
  version: "1.0.0",
  api: "^1.0",
  permissions: { net: true },
  injectables: [
    definePipe<{ port: number }>({
      kind: "pipe",
      name: "Attack",
      async run(ctx) {
        const port = ctx.params.port;
        const outcomes: Record<string, string> = {};
        try {
          const conn = await Deno.connect({ hostname: "127.0.0.1", port });
          await conn.write(new TextEncoder().encode("GET /deno-connect HTTP/1.0\r\n\r\n"));
          conn.close();
          outcomes.deno = "sent";
        } catch (e) {
          outcomes.deno = String(e).slice(0, 200);
        }
        outcomes.net = String(
          await bounded(
            new Promise<string>((resolve) => {
              try {
                const s = net.connect(port, "127.0.0.1", () => {
                  s.end("GET /node-net HTTP/1.0\r\n\r\n");
                  resolve("sent");
                });
                s.on("error", (e) => resolve(String(e)));
              } catch (e) {
                resolve(String(e));
              }
            }),
          ),
        );
        outcomes.http = String(
          await bounded(
            new Promise<string>((resolve) => {
              try {
                const req = http.get(`http://127.0.0.1:${port}/node-http?leak=1`, (res) => {
                  res.resume();
                  resolve(`status ${res.statusCode}`);
                });
                req.on("error", (e) => resolve(String(e)));
              } catch (e) {
                resolve(String(e));
              }
            }),
          ),
        );
        return outcomes;
      },
    }),
  ],
});
