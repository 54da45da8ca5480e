import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Socket, TCPSocketListener } from "bun";
import { openEngine } from "../../src/drivers/open.ts";
import { ConfigError, ConnectionError } from "../../src/errors.ts";
import { adminUrl, postgresAvailable } from "../helpers/postgres.ts";

const up = await postgresAvailable();
const password = "s3cret-Pa55";

/** Expect `url` to fail with `Class`, a message matching `pattern`, and no password anywhere. */
async function expectFailure(url: string, Class: typeof ConnectionError | typeof ConfigError, exitCode: number, pattern: RegExp) {
  const error = await openEngine(url).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Class);
  const e = error as ConnectionError;
  expect(e.exitCode as number).toBe(exitCode);
  expect(e.message).toMatch(pattern);
  expect(e.message).not.toContain(password);
  expect(e.message).not.toContain("\n");
  expect(JSON.stringify({ message: e.message, name: e.name })).not.toContain(password);
}

/**
 * A minimal server speaking PostgreSQL's wire protocol that asks for a
 * cleartext password and rejects it with 28P01, exactly as a real server
 * does (the test server itself trusts every local connection).
 */
function startRejectingServer(): TCPSocketListener<undefined> {
  const message = (type: string, body: Buffer) => {
    const head = Buffer.alloc(5);
    head.write(type, 0);
    head.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([head, body]);
  };
  const field = (code: string, text: string) => Buffer.from(`${code}${text}\0`);
  return Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket: Socket<undefined>, data: Buffer) {
        if (data[0] === 0x70 /* 'p': PasswordMessage */) {
          const body = Buffer.concat([
            field("S", "FATAL"),
            field("V", "FATAL"),
            field("C", "28P01"),
            field("M", 'password authentication failed for user "app"'),
            Buffer.from("\0"),
          ]);
          socket.write(message("E", body));
          socket.end();
        } else {
          // StartupMessage: ask for a cleartext password (AuthenticationCleartextPassword = 3)
          const body = Buffer.alloc(4);
          body.writeInt32BE(3);
          socket.write(message("R", body));
        }
      },
    },
  });
}

describe("connection failures are one clear line, exit 3, with no password", () => {
  let server: TCPSocketListener<undefined>;
  beforeAll(() => {
    server = startRejectingServer();
  });
  afterAll(() => server.stop(true));

  test("a refused connection", async () => {
    await expectFailure(`postgres://app:${password}@127.0.0.1:1/db`, ConnectionError, 3, /^cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/db: connection refused/);
  });

  test("an unknown host", async () => {
    await expectFailure(`postgres://app:${password}@no-such-host.invalid/db`, ConnectionError, 3, /host (not found|name lookup failed)/);
  });

  test("a wrong password", async () => {
    await expectFailure(
      `postgres://app:${password}@127.0.0.1:${server.port}/db`,
      ConnectionError,
      3,
      /: password authentication failed for user "app"$/,
    );
  });

  test.if(up)("a missing database", async () => {
    const url = new URL(adminUrl);
    url.password = password;
    url.pathname = "/no_such_database_here";
    await expectFailure(url.toString(), ConnectionError, 3, /database "no_such_database_here" does not exist$/);
  });

  test.if(up)("an unknown role", async () => {
    const url = new URL(adminUrl);
    url.username = "no_such_role";
    url.password = password;
    await expectFailure(url.toString(), ConnectionError, 3, /role "no_such_role" does not exist$/);
  });

  test("a malformed URL is a ConfigError (exit 2)", async () => {
    await expectFailure(`postgres://app:${password}@host:notaport/db`, ConfigError, 2, /^malformed database URL 'postgres:\/\/app:\*\*\*@host:notaport\/db'/);
    await expectFailure(`mysql://app:${password}@host/db`, ConfigError, 2, /unknown scheme 'mysql'/);
  });
});
