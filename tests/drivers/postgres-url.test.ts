/**
 * libpq's keywords in a URL's query string are connection options: checked
 * on the real server (trust auth, so it cannot check a password) and on a
 * tiny wire-protocol server that records what the client sends.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Socket, TCPSocketListener } from "bun";
import postgres from "postgres";
import { openEngine } from "../../src/drivers/open.ts";
import { ConfigError } from "../../src/errors.ts";
import { adminUrl, createTempDatabase, postgresAvailable, type TempDatabase } from "../helpers/postgres.ts";

const up = await postgresAvailable();
const secret = "s3cret-PW@x";

describe.if(up)("URL query keywords on the real server", () => {
  let db: TempDatabase;
  let admin: postgres.Sql;
  beforeAll(async () => {
    db = await createTempDatabase("retort_url");
    admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await admin.end({ timeout: 1 });
    await db.drop();
  });

  test("?password= logs in and is neither a server setting nor visible in pg_stat_activity", async () => {
    const engine = await openEngine(`${db.url}?password=${encodeURIComponent(secret)}&application_name=url-test-pw`);
    try {
      const [row] = await engine.query<{ ok: number }>("select 1 as ok");
      expect(row?.ok).toBe(1);
      // a startup parameter would have become a session setting
      const setting = await engine.query("select current_setting('password', true) as v");
      expect(setting).toEqual([{ v: null }]);
      const show = await engine.query("SHOW password").catch((e: unknown) => e);
      expect((show as Error).message).toContain('unrecognized configuration parameter "password"');
      const activity = await admin.unsafe(`select * from pg_stat_activity where application_name = 'url-test-pw'`);
      expect(activity.length).toBe(1);
      expect(JSON.stringify(activity)).not.toContain("s3cret");
    } finally {
      await engine.close();
    }
  });

  test("?user= and ?dbname= override the URL's own user and database, as in libpq", async () => {
    const url = new URL(adminUrl);
    url.username = "no_such_role";
    url.pathname = "/no_such_database";
    const engine = await openEngine(`${url.toString()}?user=postgres&dbname=${db.name}`);
    try {
      expect(await engine.query("select current_user as u, current_database() as d")).toEqual([{ u: "postgres", d: db.name }]);
    } finally {
      await engine.close();
    }
  });

  test("?options=-c search_path=... sets the server setting; ?application_name= names the session", async () => {
    const engine = await openEngine(`${db.url}?options=-c%20search_path%3Dfoo&application_name=url-test-app`);
    try {
      expect(await engine.query("SHOW search_path")).toEqual([{ search_path: "foo" }]);
      const [row] = await engine.query<{ n: string }>("select count(*)::text as n from pg_stat_activity where application_name = 'url-test-app' and pid = pg_backend_pid()");
      expect(row?.n).toBe("1");
    } finally {
      await engine.close();
    }
  });

  test("?host= names a Unix-socket directory", async () => {
    const engine = await openEngine(`postgres:///${db.name}?host=/var/run/postgresql&user=postgres`);
    try {
      expect(await engine.query("select inet_client_addr() is null as local")).toEqual([{ local: true }]);
    } finally {
      await engine.close();
    }
  });

  test("an unknown query key is refused before connecting (exit 2), naming the key and not its value", async () => {
    const error = await openEngine(`${db.url}?statement_timeout=${secret}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as Error).message).toContain("'statement_timeout'");
    expect((error as Error).message).not.toContain("s3cret");
  });
});

/** What a client sent to the recording server: the startup packet and the password message. */
interface Recorded {
  startup?: Buffer;
  password?: string;
}

/**
 * A server that asks for a cleartext password, records it and fails the
 * login (28P01), so the test sees exactly what went over the wire.
 */
function startRecordingServer(recorded: Recorded): TCPSocketListener<undefined> {
  const message = (type: string, body: Buffer) => {
    const head = Buffer.alloc(5);
    head.write(type, 0);
    head.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([head, body]);
  };
  return Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket: Socket<undefined>, data: Buffer) {
        if (data[0] === 0x70 /* 'p': PasswordMessage */) {
          recorded.password = data.subarray(5, data.length - 1).toString("utf8");
          const body = Buffer.from("SFATAL\0C28P01\0Mpassword authentication failed\0\0");
          socket.write(message("E", body));
          socket.end();
        } else {
          recorded.startup = Buffer.from(data);
          const body = Buffer.alloc(4);
          body.writeInt32BE(3); // AuthenticationCleartextPassword
          socket.write(message("R", body));
        }
      },
    },
  });
}

describe("?password= over the wire", () => {
  const recorded: Recorded = {};
  let server: TCPSocketListener<undefined>;
  beforeAll(() => {
    server = startRecordingServer(recorded);
  });
  afterAll(() => server.stop(true));

  test("is sent as the password when the server asks, and never in the startup packet", async () => {
    const error = await openEngine(`postgres://app@127.0.0.1:${server.port}/db?password=${encodeURIComponent(secret)}&options=-c%20x.y%3D1`).catch((e: unknown) => e);
    expect((error as Error).message).toContain("password authentication failed");
    expect((error as Error).message).not.toContain("s3cret");
    expect(recorded.password).toBe(secret);
    const startup = recorded.startup?.toString("utf8") ?? "";
    expect(startup).toContain("user\0app\0");
    expect(startup).toContain("database\0db\0");
    expect(startup).toContain("options\0-c x.y=1\0");
    expect(startup).not.toContain("password");
    expect(startup).not.toContain("s3cret");
  });
});
