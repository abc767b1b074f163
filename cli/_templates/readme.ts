import type { PluginNames } from "./_names.ts";

/**
 * A new plugin's `README.md`: the config snippet a user pastes (the `from:`, the grant, the
 * service and a step), how to develop it, and how to publish it. Every line that holds a name
 * is a heading or code, so `deno fmt` wraps the prose the same way for every name.
 */
export function readme(names: PluginNames): string {
  return useIt(names) + develop(names);
}

/** The title and the config snippet to paste. */
function useIt({ name, packageName }: PluginNames): string {
  return `# ${packageName}

An [otai](https://jsr.io/@otai/cli) plugin: a \`Greeter\` service and a \`Greet\`
pipe that greets through it. They are a starting point: replace them with your
own in \`mod.ts\`.

## Use it

Paste this into a \`config.yml\`:

\`\`\`yaml
plugins:
  - from: jsr:${packageName}@^0.1
    # The grant: what mod.ts requests under \`permissions\` (nothing yet), e.g.
    # { net: ["api.example.com"], env: ["ACME_TOKEN"] }.
    permissions: {}
services:
  - id: greeter
    use: ${name}:Greeter
    params: { greeting: Hello } # optional; Hello when absent
orchestrator:
  runners:
    - id: main
      run:
        - id: greet
          use: ${name}:Greet
          injects: { greeter: greeter }
          params: { who: world, shout: false } # shout is optional
\`\`\`

and run it:

\`\`\`sh
deno run -A jsr:@otai/cli config.yml
\`\`\`

The \`greet\` step's data is \`{ "message": "Hello, world!" }\`.

`;
}

/** How to develop, try and publish it. */
function develop({ name }: PluginNames): string {
  return `## Develop it

\`\`\`sh
deno task test    # mod_test.ts and the example in mod.ts
deno task check   # fmt, lint, type check, and a dry run of deno publish
\`\`\`

Try it from a config before publishing: point \`from:\` at \`mod.ts\` in this folder
(a path relative to the config file). It loads from disk, in the same sandbox
and under the same permissions as the published package:

\`\`\`yaml
plugins:
  - from: ./${name}/mod.ts
    permissions: {}
\`\`\`

## Publish it

Users write the package name from \`deno.json\` after \`jsr:\`. If its scope is a
placeholder, create your scope on https://jsr.io/new and set it in \`"name"\` in
\`deno.json\` and in the \`from:\` line above, or generate the plugin again with
your scope:

\`\`\`sh
otai new plugin ${name} --scope @your-scope
\`\`\`

Then publish it:

\`\`\`sh
deno publish
\`\`\`

For each release, raise \`version\` in \`deno.json\` and in the manifest in \`mod.ts\`
together, and keep to semver: users take updates within the range they wrote
after the package name.
`;
}
