/**
 * Services on the port that are not PostgreSQL: an HTTP server, one that
 * writes garbage, one that hangs up, one that never says a word. Each fails
 * at once (or after connect_timeout) with exit 3, never a reconnect loop.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TCPSocketListener } from "bun";
import { openEngine } from "../../src/drivers/open.ts";
import { connectTimeoutFromUrl, DEFAULT_CONNECT_TIMEOUT_SECONDS } from "../../src/drivers/postgres.ts";
import { ConfigError, ConnectionError } from "../../src/errors.ts";
import { runCli } from "../helpers/cli.ts";
import { writeProject } from "../helpers/project.ts";

/** A TCP server counting connections; `greet` runs on each new one. */
function tcpServer(greet: (socket: { write(data: string): void; end(): void }) => void): { server: TCPSocketListener<undefined>; connections: () => number } {
  let connections = 0;
  const server = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        connections++;
        greet(socket);
      },
      data() {},
    },
  });
  return { server, connections: () => connections };
}

describe("a service that is not PostgreSQL", () => {
  let http: ReturnType<typeof Bun.serve>;
  const garbage = tcpServer((s) => s.write("\u0000\u0001garbage\n"));
  const hangUp = tcpServer((s) => s.end());
  const silent = tcpServer(() => {});
  beforeAll(() => {
    http = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: () => new Response("hello"),
      error: () => new Response("bad", { status: 400 }),
    });
  });
  afterAll(() => {
    http.stop(true);
    for (const s of [garbage, hangUp, silent]) s.server.stop(true);
  });

  /** Open `url`, expecting a ConnectionError quickly; returns its message. */
  async function refused(url: string, withinMs: number): Promise<string> {
    const started = performance.now();
    const error = await openEngine(url).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(withinMs);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).exitCode).toBe(3);
    return (error as Error).message;
  }

  test("an HTTP server fails at once: it did not answer as a PostgreSQL server", async () => {
    const message = await refused(`postgres://app:s3cret@127.0.0.1:${http.port}/db`, 2000);
    expect(message).toBe(
      `cannot connect to postgres://app:***@127.0.0.1:${http.port}/db: the service at 127.0.0.1:${http.port} did not answer as a PostgreSQL server (it sent "HTTP/1.1 400 Bad Request")`,
    );
    // with sslmode=require the first thing sent is an SSLRequest: the same answer
    expect(await refused(`postgres://app@127.0.0.1:${http.port}/db?sslmode=require`, 2000)).toContain("did not answer as a PostgreSQL server");
  });

  test("a server writing garbage fails at once after one connection", async () => {
    expect(await refused(`postgres://app@127.0.0.1:${garbage.server.port}/db`, 2000)).toContain(`did not answer as a PostgreSQL server (it sent "??garbage")`);
    expect(garbage.connections()).toBe(1);
  });

  test("a server that hangs up without a word fails at once, one connection per host, no reconnect loop", async () => {
    expect(await refused(`postgres://app@127.0.0.1:${hangUp.server.port}/db`, 2000)).toBe(
      `cannot connect to postgres://app@127.0.0.1:${hangUp.server.port}/db: the server closed the connection without answering as a PostgreSQL server`,
    );
    await Bun.sleep(200);
    expect(hangUp.connections()).toBe(1);
    // two hosts: each is tried once
    await refused(`postgres://app@127.0.0.1:${hangUp.server.port},127.0.0.1:${hangUp.server.port}/db`, 2000);
    await Bun.sleep(200);
    expect(hangUp.connections()).toBe(3);
  });

  test("a server that never answers is given connect_timeout seconds", async () => {
    const message = await refused(`postgres://app@127.0.0.1:${silent.server.port}/db?connect_timeout=2`, 3500);
    expect(message).toBe(`cannot connect to postgres://app@127.0.0.1:${silent.server.port}/db?connect_timeout=2: no answer within 2 s (connect_timeout in the URL; default 10)`);
    expect(silent.connections()).toBe(1);
  });

  test("connect_timeout: 10 s by default, else libpq's reading of the URL (0 or less: no limit, 1 is 2), anything else exit 2", () => {
    expect(DEFAULT_CONNECT_TIMEOUT_SECONDS).toBe(10);
    expect(connectTimeoutFromUrl("postgres://h/db")).toBe(10);
    expect(connectTimeoutFromUrl("postgres://h/db?sslmode=disable&connect_timeout=3")).toBe(3);
    expect(connectTimeoutFromUrl("postgres://h/db?connect_timeout=0")).toBe(0);
    expect(connectTimeoutFromUrl("postgres://h/db?connect_timeout=-1")).toBe(0);
    expect(connectTimeoutFromUrl("postgres://h/db?connect_timeout=1")).toBe(2);
    for (const bad of ["x", "1.5", ""]) {
      expect(() => connectTimeoutFromUrl(`postgres://h/db?connect_timeout=${bad}`)).toThrow(ConfigError);
    }
  });

  test("through the CLI: exit 3 at once for the HTTP server, within ~2 s for the silent one with connect_timeout=2", async () => {
    const cwd = writeProject([{ id: "a1", revises: null, upgrade: "SELECT 1;" }]);
    let started = performance.now();
    const httpRun = await runCli(["upgrade", "head", "--url", `postgres://app@127.0.0.1:${http.port}/db`], { cwd });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(httpRun.code).toBe(3);
    expect(httpRun.stderr).toContain("did not answer as a PostgreSQL server");
    started = performance.now();
    const silentRun = await runCli(["current", "--url", `postgres://app@127.0.0.1:${silent.server.port}/db?connect_timeout=2`], { cwd });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThan(1900);
    expect(elapsed).toBeLessThan(5000);
    expect(silentRun.code).toBe(3);
    expect(silentRun.stderr).toContain("no answer within 2 s");
  });
});
