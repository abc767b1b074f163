const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Writes one value as a frame: its JSON length in bytes, a newline, the JSON. */
export function writeFrame(out: { writeSync(p: Uint8Array): number }, value: unknown): void {
  const body = encoder.encode(JSON.stringify(value));
  const bytes = new Uint8Array(body.length + 16);
  const head = encoder.encodeInto(`${body.length}\n`, bytes);
  bytes.set(body, head.written);
  const frame = bytes.subarray(0, head.written + body.length);
  for (let n = 0; n < frame.length;) n += out.writeSync(frame.subarray(n));
}

/** Frame-level failures: a peer that breaks the protocol or exceeds the size limit. */
export class FrameError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "FrameError";
  }
}

/**
 * Reads frames written by {@linkcode writeFrame} from a byte stream.
 *
 * @throws {FrameError} On a malformed header or a frame larger than `maxBytes` (checked
 * before its body is read into memory).
 */
export async function* readFrames<T>(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
): AsyncGenerator<T> {
  let chunks: Uint8Array[] = [];
  let have = 0;
  let need = -1;
  for await (const chunk of stream) {
    chunks.push(chunk);
    have += chunk.length;
    while (true) {
      if (need < 0) {
        const buf = flatten(chunks, have);
        const nl = buf.indexOf(10);
        if (nl < 0) {
          if (have > 20) throw new FrameError("the plugin broke the sandbox protocol");
          chunks = [buf];
          break;
        }
        const head = decoder.decode(buf.subarray(0, nl));
        if (!/^\d{1,12}$/.test(head)) {
          throw new FrameError("the plugin broke the sandbox protocol (wrote to stdout?)");
        }
        need = Number(head);
        if (need > maxBytes) {
          throw new FrameError(
            `the plugin sent ${(need / 1e6).toFixed(1)} MB at once, over the ` +
              `${(maxBytes / 1e6).toFixed(0)} MB limit`,
          );
        }
        chunks = [buf.subarray(nl + 1)];
        have -= nl + 1;
      }
      if (have < need) break;
      const buf = flatten(chunks, have);
      const body = buf.subarray(0, need);
      chunks = [buf.subarray(need)];
      have -= need;
      need = -1;
      yield JSON.parse(decoder.decode(body)) as T;
    }
  }
}

function flatten(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
