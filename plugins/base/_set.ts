/**
 * The `Set` pipe.
 *
 * @module
 */
import { z } from "zod";
import { definePipe } from "@otai/cli/plugin";

const params = z.object({
  values: z.record(z.string(), z.unknown(), {
    error: 'give values as a map, e.g. values: { since: "${{ params.since }}" }',
  }),
});

/** Returns its values, so that values computed once with `${{ }}` get a name. */
export const setPipe = definePipe<z.output<typeof params>>({
  kind: "pipe",
  name: "Set",
  services: {},
  description: "Returns its values as the step's data, to compute and name values once",
  params,
  run(ctx): Record<string, unknown> {
    return ctx.params.values;
  },
});
