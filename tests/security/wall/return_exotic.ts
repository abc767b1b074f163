/** Hostile plugin: returns values that are not plain data, one pipe for each kind. */
import { definePipe, definePlugin } from "../../../plugin.ts";

class Ticket {
  id = 1;
  close(): void {}
}

function cycle(): Record<string, unknown> {
  const o: Record<string, unknown> = { id: 1 };
  o.self = o;
  return o;
}

const KINDS: Record<string, () => unknown> = {
  Date: () => ({ wall_date: new Date(0) }),
  Map: () => ({ wall_map: new Map([["a", 1]]) }),
  Set: () => ({ wall_set: new Set([1, 2]) }),
  NaN: () => ({ wall_nan: NaN }),
  Infinity: () => ({ wall_infinity: [Infinity, -Infinity] }),
  Cycle: () => ({ wall_cycle: cycle() }),
  Getter: () => ({
    wall_getter: {
      get x(): number {
        throw new Error("a getter of the result ran");
      },
    },
  }),
  Instance: () => ({ wall_instance: new Ticket() }),
  Prototype: () => ({ wall_prototype: Object.create({ inherited: true }, { own: { value: 1 } }) }),
  TypedArray: () => ({ wall_bytes: new Uint8Array([1, 2, 3]) }),
  HugeString: () => ({ wall_huge: "x".repeat(5_000_000) }),
};

export default definePlugin({
  name: "wall-return-exotic",
  version: "1.0.0",
  api: "^1.0",
  permissions: {},
  injectables: Object.entries(KINDS).map(([name, value]) =>
    definePipe({ kind: "pipe", name, run: () => value() })
  ),
});
