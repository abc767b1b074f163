/**
 * Test helpers of the plugin: its ticket system over the emulator, with a log to inspect, and
 * a check that a failure's message holds no secret.
 *
 * @module
 */
import { ok } from "node:assert/strict";
import {
  type OtoboEmulator,
  type OtoboEmulatorOptions,
  startOtoboEmulator,
} from "../../examples/otobo/emulator.ts";
import { clientParams } from "./_options.ts";
import { OtoboClient } from "./_otobo_client.ts";
import { createTicketSystem, type OtoboTicketSystem } from "./_ticket_system.ts";
import { defaults } from "./mod.ts";

/** The agent's password in these tests. */
export const PASSWORD = "s3cret-Pa55!";
/** The agent of these tests. */
export const USERS = [{ login: "otai", password: PASSWORD, full_name: "otai Bot" }];

/** One record the plugin logged. */
export interface LogRecord {
  /** `debug`, `info`, `warn` or `error`. */
  level: string;
  /** The message template. */
  message: string;
  /** Its properties. */
  properties: Record<string, unknown>;
}

/**
 * Starts the emulator with the test agent.
 *
 * @param options More emulator options.
 * @returns The emulator.
 */
export function emulator(options: OtoboEmulatorOptions = {}): Promise<OtoboEmulator> {
  return startOtoboEmulator({ users: USERS, ...options });
}

/**
 * The plugin's ticket system over an emulator, built as the `Client` service builds it, with
 * short retry waits.
 *
 * @param emu The emulator, or anything with a base URL.
 * @param params More service params.
 * @param password The password to log in with.
 * @returns The ticket system and what it logged.
 */
export function system(
  emu: Pick<OtoboEmulator, "baseUrl">,
  params: Record<string, unknown> = {},
  password = PASSWORD,
): { tickets: OtoboTicketSystem; logs: LogRecord[] } {
  const options = clientParams(defaults).parse({
    base_url: emu.baseUrl,
    user: "otai",
    password_env: "OTOBO_TEST_PASSWORD",
    retry_delay_ms: 5,
    timeout_ms: 2000,
    ...params,
  });
  const logs: LogRecord[] = [];
  const record = (level: string) => (message: string, properties = {}) =>
    void logs.push({ level, message, properties });
  const log = {
    debug: record("debug"),
    info: record("info"),
    warn: record("warn"),
    error: record("error"),
  };
  const client = new OtoboClient(options, password, log);
  return { tickets: createTicketSystem(client, options, log), logs };
}

/**
 * The message of a promise's failure, checked to hold none of the secrets.
 *
 * @param promise What should fail.
 * @param secrets Texts that must not appear (the password by default).
 * @returns The message.
 */
export async function failure(
  promise: Promise<unknown>,
  secrets: string[] = [PASSWORD],
): Promise<string> {
  try {
    await promise;
  } catch (e) {
    const message = (e as Error).message;
    for (const secret of secrets) {
      ok(!message.includes(secret), `a secret leaked: ${message}`);
      ok(!message.includes(encodeURIComponent(secret)), `a secret leaked: ${message}`);
    }
    return message;
  }
  throw new Error("expected a failure");
}

/**
 * The ticket's internal notes' bodies, as the emulator holds them.
 *
 * @param emu The emulator.
 * @param id The ticket.
 * @returns The bodies of agent articles not visible to the customer.
 */
export function notesOf(emu: OtoboEmulator, id: number): string[] {
  return emu.tickets.get(id)!.Articles
    .filter((a) => a.SenderType === "agent" && !a.IsVisibleForCustomer)
    .map((a) => a.Body);
}
