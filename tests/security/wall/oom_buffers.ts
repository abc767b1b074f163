/** Hostile plugin: allocates far more than its memory limit in ArrayBuffers, outside V8's heap. */
import { definePipe, definePlugin } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-oom-buffers",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    definePipe<{ mb: number }>({
      kind: "pipe",
      name: "Attack",
      run(ctx) {
        const kept: Uint8Array[] = [];
        for (let i = 0; i < ctx.params.mb / 16; i++) kept.push(new Uint8Array(16 << 20).fill(1));
        return { allocated_mb: kept.length * 16 };
      },
    }),
  ],
});
