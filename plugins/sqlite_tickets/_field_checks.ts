/**
 * The checks each field of an imported row passes: ids (length, control characters) and any
 * text (size as UTF-8, NUL, lone surrogates), with messages that say what to do.
 *
 * @module
 */

/** The most bytes (as UTF-8) one field of a row may hold: 1 MiB; a longer one makes it an error. */
export const MAX_FIELD_BYTES = 1024 * 1024;

/** The most characters (code points, after trimming) an id may have. */
export const MAX_ID_CHARS = 200;

const ID_RULE = `an id is 1 to ${MAX_ID_CHARS} characters without control characters`;
/** The trimmed id of a row, or null when it gives none (or a blank one). */
export function checkId(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  let id: string;
  if (typeof value === "string") id = value.trim();
  else if (typeof value === "number" && Number.isFinite(value)) id = String(value);
  else throw new TypeError('"id" must be a string or a number');
  if (id === "") return null;
  let length = id.length;
  if (length > MAX_ID_CHARS) {
    length = 0;
    for (const _char of id) length++;
    if (length > MAX_ID_CHARS) {
      throw new RangeError(`the id is ${length} characters long; ${ID_RULE}: shorten it`);
    }
  }
  const control = /\p{Cc}/u.exec(id);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
    throw new TypeError(
      `the id holds the control character U+${code} (character ${
        [...id.slice(0, control.index)].length + 1
      }); ${ID_RULE}: remove it`,
    );
  }
  return checkField("id", id);
}

/** The value, when it has no NUL or lone surrogate and fits {@linkcode MAX_FIELD_BYTES}. */
export function checkField(name: string, value: string): string {
  // A UTF-16 unit is at most 3 bytes of UTF-8, so only long values need counting.
  if (value.length * 3 > MAX_FIELD_BYTES) {
    const bytes = new TextEncoder().encode(value).length;
    if (bytes > MAX_FIELD_BYTES) {
      throw new RangeError(
        `"${name}" is ${bytes} bytes as UTF-8, over the limit of 1 MiB (${MAX_FIELD_BYTES} ` +
          "bytes) a field may hold; shorten it",
      );
    }
  }
  if (value.includes("\0")) {
    throw new TypeError(`"${name}" holds a NUL character (U+0000); remove it`);
  }
  if (!value.isWellFormed()) {
    throw new TypeError(
      `"${name}" holds a lone surrogate (a \\ud800-\\udfff escape without its pair); fix it`,
    );
  }
  return value;
}
