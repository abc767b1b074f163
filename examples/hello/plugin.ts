/**
 * A minimal otai plugin: a greeter service and three pipes. Copy it to start your own.
 *
 * @module
 */
import { definePipe, definePlugin, defineService, type Remote } from "../../plugin.ts";

/** What the Greeter service offers. */
interface Greeter {
  greet(who: string): string;
}

/** Greets; the config gives the greeting. */
const greeter = defineService<{ greeting: string }>({
  kind: "service",
  name: "Greeter",
  description: "Greets someone with the configured greeting",
  create(params): Greeter {
    return { greet: (who) => `${params.greeting}, ${who}!` };
  },
});

/** Reads a text file and returns its non-empty lines as `items`. */
const readLines = definePipe<{ path: string }>({
  kind: "pipe",
  name: "ReadLines",
  description: "Reads the non-empty lines of a text file (needs read access to it)",
  async run(ctx) {
    const text = await Deno.readTextFile(ctx.params.path);
    return { items: text.split("\n").map((l) => l.trim()).filter(Boolean) };
  },
});

/** Greets `who` through an injected greeter. */
const greet = definePipe<{ who: string }, { greeter: Remote<Greeter> }>({
  kind: "pipe",
  name: "Greet",
  description: "Greets params.who through the injected greeter service",
  services: { greeter: "Greeter" },
  async run(ctx) {
    const greeter = ctx.services.greeter;
    if (!greeter) throw new Error('inject a Greeter as "greeter"');
    const message = await greeter.greet(ctx.params.who);
    ctx.log.info("Greeted {who}", { who: ctx.params.who });
    return { message };
  },
});

/** Upper-cases `text`. */
const upper = definePipe<{ text: string }>({
  kind: "pipe",
  name: "Upper",
  description: "Upper-cases params.text",
  run(ctx) {
    if (typeof ctx.params.text !== "string") ctx.skip("no text to upper-case");
    return { text: ctx.params.text.toUpperCase() };
  },
});

export default definePlugin({
  name: "hello",
  version: "1.0.0",
  api: "^1.0",
  description: "Greets people; the example plugin",
  permissions: { read: true },
  injectables: [greeter, readLines, greet, upper],
});
