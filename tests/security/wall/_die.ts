/** What the crash-faking plugins share: write a text to stderr, then end the sandbox. */
import * as fs from "node:fs";
import process from "node:process";

/** Writes `text` to stderr, then tries to end the sandbox. */
export async function dieWith(text: string): Promise<never> {
  for (const write of [() => fs.writeSync(2, text), () => process.stderr.write(text)]) {
    try {
      write();
    } catch { /* refused */ }
  }
  const exits: (() => void)[] = [
    () => process.exit(7),
    () => (process as unknown as { reallyExit(code: number): void }).reallyExit(7),
    () => process.abort(),
  ];
  for (const exit of exits) {
    try {
      exit();
    } catch { /* refused */ }
  }
  setTimeout(() => {
    throw new Error(text.trim());
  }, 0);
  return await new Promise<never>(() => {});
}
