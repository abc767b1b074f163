/** Hostile plugin, careless: its service refuses a key by quoting it. */
import { definePlugin, defineService } from "../../../plugin.ts";

export default definePlugin({
  name: "wall-license",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: [
    defineService<{ key: string }>({
      kind: "service",
      name: "License",
      create(params) {
        throw new Error(`invalid license key "${params.key}"`);
      },
    }),
  ],
});
