/**
 * Text from plugins, made safe for a terminal: a plugin's message can hold line breaks (a
 * forged `[INF] otai·engine:` line), carriage returns and escape sequences (a cleared screen,
 * hidden text). Shown escaped, they are visible for what they are.
 *
 * @module
 */

// Every C0 control but tab, DEL, and the C1 controls (U+0080..U+009F), which terminals also act on.
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/**
 * The text with control characters written as escapes: a line break as `\n`, ESC as `\x1b`.
 *
 * @param text Text that may come from plugin code.
 * @param options `lines: true` keeps line breaks (for multi-line text shown as a block).
 * @returns The text with no control character left in it (but line breaks when kept).
 */
export function escapeControl(text: string, options: { lines?: boolean } = {}): string {
  return text.replace(CONTROL, (c) => {
    if (c === "\n") return options.lines ? c : "\\n";
    if (c === "\r") return "\\r";
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}

/** A copy of plain data with control characters escaped in every string. */
export function escapeControlIn<T>(value: T): T {
  if (typeof value === "string") return escapeControl(value) as T;
  if (Array.isArray(value)) return value.map(escapeControlIn) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [escapeControl(k), escapeControlIn(v)]),
    ) as T;
  }
  return value;
}
