/**
 * `deno task schema`: writes `schema/config.schema.json` (what `otai schema` prints) and the
 * config reference in README.md (between its `config-reference` markers), both generated from
 * the config's zod schema. Tests fail when either is not current.
 *
 * @module
 */
import { configJsonSchema } from "../core/config/json_schema.ts";
import { schemaText } from "../cli/schema_command.ts";
import { configReference, withConfigReference } from "../cli/config_reference.ts";

const root = new URL("../", import.meta.url);
await Deno.writeTextFile(new URL("schema/config.schema.json", root), schemaText());
const readme = new URL("README.md", root);
const text = await Deno.readTextFile(readme);
await Deno.writeTextFile(readme, withConfigReference(text, configReference(configJsonSchema())));
console.log("wrote schema/config.schema.json and the config reference in README.md");
