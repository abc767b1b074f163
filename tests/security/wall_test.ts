/**
 * The wall: otai's own attack suite against the sandbox boundary. Each hostile plugin (one
 * small module each, in ./wall) runs through the real CLI in a fresh directory, in both
 * `worker` and `process` isolation, and is judged the way an attacker would judge it: by
 * canaries that must show up nowhere (a token in files outside every grant, a variable never
 * granted, secrets in `${VAR}`, a loopback server no grant names) and by a host that still
 * prints its results document and runs the bystander step after the attack, or refuses the
 * config at load naming the plugin and its line.
 *
 * `WALL_TRACE=/tmp/wall` writes every run's config and output there, for reading a failure.
 */
import { runWall } from "./wall/_case.ts";
import { NETWORK_CASES } from "./wall/_cases_network.ts";
import { FILE_CASES } from "./wall/_cases_files.ts";
import { CACHE_CASES } from "./wall/_cases_cache.ts";
import { SHARED_CASES } from "./wall/_cases_shared.ts";
import { HOST_CASES } from "./wall/_cases_host.ts";
import { BLAME_CASES } from "./wall/_cases_blame.ts";
import { TERMINAL_CASES } from "./wall/_cases_terminal.ts";
import { SECRET_CASES } from "./wall/_cases_secrets.ts";

Deno.test("otai run keeps network and code a plugin is not granted out of reach", async (t) => {
  await runWall(t, NETWORK_CASES);
});

Deno.test("otai run keeps files a plugin is not granted out of reach", async (t) => {
  await runWall(t, FILE_CASES);
});

Deno.test("otai run refuses a plugin that could change code and never runs changed code", async (t) => {
  await runWall(t, CACHE_CASES);
});

Deno.test("otai run keeps what a sandbox shares with the host to itself", async (t) => {
  await runWall(t, SHARED_CASES);
});

Deno.test("otai run trusts nothing a sandbox returns, posts or says as it dies", async (t) => {
  await runWall(t, HOST_CASES);
});

Deno.test("otai run blames the plugin whose service never answers, not its caller", async (t) => {
  await runWall(t, BLAME_CASES);
});

Deno.test("otai run prints no line and no escape sequence a plugin forged", async (t) => {
  await runWall(t, TERMINAL_CASES);
});

Deno.test("otai run shows no secret anywhere", async (t) => {
  await runWall(t, SECRET_CASES);
});
