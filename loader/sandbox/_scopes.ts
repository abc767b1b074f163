import type { StepStates } from "../../core/contract.ts";

/** How many enclosing layers a sandbox keeps at once before it forgets the oldest. */
const MAX_SCOPES = 256;

/**
 * The enclosing step states a sandbox has been sent, by identity: a `for_each` hands the same
 * layer object with every item, so it crosses the boundary once and is then named by number.
 * The oldest are forgotten (on both sides) past a bound; a forgotten layer is sent again when
 * it is used again.
 */
export class ScopeCache {
  #ids = new Map<StepStates, number>();
  #next = 1;

  /**
   * The ids of `layers`, telling `send` about each layer not sent before and `drop` about
   * each one forgotten.
   */
  ids(
    layers: readonly StepStates[],
    send: (id: number, steps: StepStates) => void,
    drop: (id: number) => void,
  ): number[] {
    return layers.map((layer) => {
      let id = this.#ids.get(layer);
      if (id !== undefined) {
        this.#ids.delete(layer);
        this.#ids.set(layer, id);
        return id;
      }
      id = this.#next++;
      this.#ids.set(layer, id);
      send(id, layer);
      if (this.#ids.size > MAX_SCOPES) {
        const [oldest, oldId] = this.#ids.entries().next().value!;
        this.#ids.delete(oldest);
        drop(oldId);
      }
      return id;
    });
  }
}
