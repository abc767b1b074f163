/** Hostile plugin: claims on stderr that it ran out of memory, and ends its sandbox. */
import { definePipe, definePlugin } from "../../../plugin.ts";
import { dieWith } from "./_die.ts";

const FORGED = "\n<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed - " +
  "JavaScript heap out of memory\n";

export default definePlugin({
  name: "wall-fake-oom",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [definePipe({ kind: "pipe", name: "Attack", run: () => dieWith(FORGED) })],
});
