import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { definePipe, definePlugin, defineService, type Remote } from "@otai/cli/plugin";
import { fakeTicketSystem, testPipe, testService } from "@otai/cli/testing";

interface Lexicon {
  word(key: string): string;
}

const lexicon = defineService({
  kind: "service",
  name: "Lexicon",
  create: (params: { words: Record<string, string> }): Lexicon => ({
    word: (key) => params.words[key] ?? key,
  }),
});

const labeller = defineService({
  kind: "service",
  name: "Labeller",
  services: { lexicon: "Lexicon", tickets: "TicketSystem" },
  create(params: { prefix: string }, ctx) {
    return {
      async label(id: string): Promise<string> {
        const word = await ctx.services.lexicon!.word!("label") as string;
        await ctx.services.tickets!.addNote!(id, { body: `${params.prefix}${word}` });
        return word;
      },
    };
  },
});

const describe = definePipe<{ key: string }, { lexicon: Remote<Lexicon> }>({
  kind: "pipe",
  name: "Describe",
  services: { lexicon: "Lexicon" },
  run: async (ctx) => ({ text: await ctx.services.lexicon.word(ctx.params.key) }),
});

const plugin = definePlugin({
  name: "words",
  version: "1.0.0",
  api: "^1.0",
  injectables: [lexicon, labeller, describe],
});

Deno.test("testService() is typed by the definition and injects services of every kind", async () => {
  const words = await testService(plugin, lexicon, { words: { label: "urgent" } });
  strictEqual(await words.word("label"), "urgent");
  // @ts-expect-error: a Lexicon has no such method
  strictEqual(typeof words.spell, "function");
  const tickets = fakeTicketSystem([{ id: "7" }]);
  const labels = await testService(plugin, labeller, { prefix: "label: " }, {
    services: { lexicon: words, tickets },
  });
  strictEqual(await labels.label("7"), "urgent");
  deepStrictEqual(tickets.updates, [
    { method: "addNote", id: "7", note: { body: "label: urgent" }, applied: true },
  ]);
  // A plain object serves as well, and so does a service into a pipe.
  const plain = await testService(plugin, labeller, { prefix: "" }, {
    services: { lexicon: { word: () => "plain" }, tickets },
  });
  strictEqual(await plain.label("7"), "plain");
  deepStrictEqual(
    await testPipe(plugin, describe, { params: { key: "label" }, services: { lexicon: words } }),
    {
      status: "succeeded",
      data: { text: "urgent" },
    },
  );
});

Deno.test("testService() and testPipe() refuse services other than those declared", async () => {
  await rejects(
    testService(plugin, labeller, { prefix: "" }, { services: { lexicn: {}, tickets: {} } }),
    new TypeError(
      'Cannot test service "Labeller": words:Labeller takes no service "lexicn"; did you mean ' +
        '"lexicon"? it takes: lexicon (Lexicon), tickets (TicketSystem)',
    ),
  );
  await rejects(
    testPipe(plugin, "Describe", { params: { key: "x" } }),
    /words:Describe takes the service "lexicon" \(a Lexicon\), which this step does not inject/,
  );
  // A service that declares nothing takes what it is given, as in API 1.0.
  const words = await testService(plugin, "Lexicon", { words: {} }, { services: { extra: {} } });
  strictEqual(await words.word!("x"), "x");
});
