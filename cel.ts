/**
 * otai's CEL environment for plugins that take CEL expressions from their users, so that they
 * read numbers the way config expressions do.
 *
 * @example
 * ```ts
 * import { createCelEnvironment } from "@otai/cli/cel";
 * import { strictEqual } from "node:assert/strict";
 * const cel = createCelEnvironment({ variables: { item: "dyn", index: "int" } });
 * strictEqual(cel.parse("item.n * 2 > index")({ item: { n: 1.5 }, index: 2n }), true);
 * ```
 *
 * @module
 */
export { createCelEnvironment } from "./core/cel.ts";
export type { CelEnvironment, CelEnvironmentOptions, CelProgram } from "./core/cel.ts";
