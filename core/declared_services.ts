import { closest } from "./_suggest.ts";

/** A problem with an entry's `injects`: where (`"injects"` or an injected name) and what. */
export interface InjectsProblem {
  /** `undefined` for the entry's `injects` as a whole, else the injected name at fault. */
  name?: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/**
 * Checks what an entry injects against the services its pipe or service declares: each declared
 * service must be injected, and nothing else may be. An injectable that declares nothing takes
 * any `injects` (API 1.0).
 *
 * @param key `prefix:Name` of the pipe or service, for messages.
 * @param declared Its declared services, by injected name, with their interface names.
 * @param injects The entry's `injects` (injected name to service id).
 * @param what `"step"` or `"service entry"`, for messages.
 * @returns Every problem found; empty when it fits.
 *
 * @example
 * ```ts ignore
 * const problems = checkInjects("base:FetchTickets", { tickets: "TicketSystem" }, {}, "step");
 * // [{ message: 'base:FetchTickets takes the service "tickets" (a TicketSystem), ...' }]
 * ```
 */
export function checkInjects(
  key: string,
  declared: Readonly<Record<string, string>> | undefined,
  injects: Readonly<Record<string, string>>,
  what: "step" | "service entry",
): InjectsProblem[] {
  if (declared === undefined) return [];
  const names = Object.keys(declared);
  const takes = names.length
    ? `it takes: ${names.map((n) => `${n} (${declared[n]})`).join(", ")}`
    : "it takes no services; remove it";
  const problems: InjectsProblem[] = [];
  const missing = names.filter((n) => !Object.hasOwn(injects, n));
  const suggested = new Set<string>();
  for (const name of Object.keys(injects)) {
    if (Object.hasOwn(declared, name)) continue;
    const near = closest(name, missing);
    if (near !== undefined) suggested.add(near);
    problems.push({
      name,
      message: `${key} takes no service "${name}"` +
        (near === undefined ? `; ${takes}` : `; did you mean "${near}"? ${takes}`),
    });
  }
  // A name offered as the fix of a typo is not reported missing as well.
  for (const name of missing) {
    if (suggested.has(name)) continue;
    const iface = declared[name]!;
    problems.push({
      message: `${key} takes the service "${name}" (${article(iface)} ${iface}), which this ` +
        `${what} does not inject; add injects: { ${name}: <id of ${article(iface)} ${iface} ` +
        "service> }",
    });
  }
  return problems;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}
