/**
 * Modules as Deno cached them: the content, and the content type their server sent.
 *
 * @module
 */

/** Content types a plugin module may be served with. */
export const CODE_TYPES =
  /javascript|typescript|ecmascript|jsx|tsx|json|wasm|text\/plain|octet-stream|^$/i;
const METADATA = new TextEncoder().encode("\n// denoCacheMetadata=");

/**
 * A module as Deno cached it: the content, and the content type its server sent, read from the
 * metadata line Deno appends (absent in older cache layouts: then the whole file is content).
 */
export function readCached(
  bytes: Uint8Array<ArrayBuffer>,
): { content: Uint8Array<ArrayBuffer>; contentType?: string } {
  const at = lastIndexOf(bytes, METADATA);
  if (at < 0) return { content: bytes };
  try {
    const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(at + METADATA.length)));
    const type = meta?.headers?.["content-type"];
    return {
      content: bytes.subarray(0, at),
      ...(typeof type === "string" ? { contentType: type } : {}),
    };
  } catch {
    return { content: bytes };
  }
}

function lastIndexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = haystack.length - needle.length; i >= 0; i--) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
