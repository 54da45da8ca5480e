/**
 * The sockets the PostgreSQL engine talks through (postgres.js's `socket`
 * option): no silent reconnect, a service that does not speak PostgreSQL's
 * protocol recognised by the first byte it sends, the end of the session's
 * socket reported at once, and cancel requests on a socket of their own.
 */
import net from "node:net";

/**
 * The first byte a PostgreSQL server can send: 'S'/'N' (answer to an
 * SSLRequest), 'R' (authentication), 'E' (error), 'v' (NegotiateProtocolVersion).
 */
const FIRST_BYTES = new Set([0x53, 0x4e, 0x52, 0x45, 0x76]);

/** What postgres.js hands to its `socket` option (the fields used here). */
export interface SocketOptions {
  readonly host: readonly string[];
  readonly port: readonly number[];
  readonly path?: string | false;
}

/** Why connecting stopped before the server answered as PostgreSQL (code: NOT_POSTGRES). */
export class NotPostgresError extends Error {
  readonly code = "NOT_POSTGRES";
}

/** The sockets of one engine: the session's, then cancel requests'. */
export interface SessionSockets {
  /** postgres.js's `socket` option: one socket per connection attempt */
  readonly socket: (options: SocketOptions) => net.Socket;
  /** rejects as soon as connecting must stop: the peer is not PostgreSQL, or every host was tried */
  readonly failed: Promise<never>;
  /** the session is up: from now on the end of its socket is reported to onLost, and nothing reconnects */
  established(onLost: (why: string) => void): void;
  /** ask the server to cancel what the session is running (best effort, bounded by timeoutMs) */
  cancel(pid: number, secret: number, timeoutMs: number): Promise<void>;
}

interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly path: string | undefined;
}

function connectTo(endpoint: Endpoint): net.Socket {
  const socket = endpoint.path ? net.connect(endpoint.path) : net.connect(endpoint.port, endpoint.host);
  // postgres.js reads these (TLS server name, error messages) from sockets it connects itself
  Object.assign(socket, { host: endpoint.host, port: endpoint.port });
  return socket;
}

/** "HTTP/1.1 400 Bad Request" from the bytes a peer sent, printable and short. */
function firstWords(chunk: Buffer): string {
  const text = chunk.subarray(0, 40).toString("latin1").split(/\r?\n/)[0] ?? "";
  return text.replace(/[^\x20-\x7e]/g, "?");
}

/**
 * Sockets for one engine. postgres.js reconnects on its own whenever a socket
 * closes while it is connecting (forever, against a service that is not
 * PostgreSQL); here each host of the URL gets one attempt, and a second
 * session is never opened behind the engine's back.
 */
export function sessionSockets(): SessionSockets {
  let attempts = 0;
  let session: net.Socket | undefined;
  let endpoint: Endpoint | undefined;
  let lastError: unknown;
  let up = false;
  let fail!: (error: unknown) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {});

  return {
    failed,
    socket(options) {
      if (up) {
        const error = Object.assign(new Error("the session to the server was lost; not reconnecting"), { code: "CONNECTION_CLOSED" });
        throw error;
      }
      const index = attempts++;
      const hosts = options.host.length;
      if (index >= hosts) {
        const why =
          lastError ??
          new NotPostgresError("the server closed the connection without answering as a PostgreSQL server");
        fail(why);
        throw why;
      }
      const target: Endpoint = { host: options.host[index] ?? "localhost", port: options.port[index] ?? 5432, path: options.path || undefined };
      endpoint = target;
      lastError = undefined;
      const socket = connectTo(target);
      session = socket;
      socket.on("error", (error) => (lastError = error));
      socket.once("data", (chunk: Buffer) => {
        if (FIRST_BYTES.has(chunk[0] ?? -1)) return;
        const where = target.path ?? `${target.host}:${target.port}`;
        const error = new NotPostgresError(`the service at ${where} did not answer as a PostgreSQL server (it sent "${firstWords(chunk)}")`);
        fail(error);
        socket.destroy(error);
      });
      return socket;
    },
    established(onLost) {
      up = true;
      const socket = session;
      if (socket === undefined) return;
      if (socket.destroyed) return onLost("the connection was closed");
      socket.once("end", () => onLost("the server closed the connection"));
      socket.once("close", () => onLost("the connection was closed"));
      socket.on("error", (error) => onLost(`the connection failed (${(error as { code?: string }).code ?? error.message})`));
    },
    cancel(pid, secret, timeoutMs) {
      const target = endpoint;
      if (target === undefined) return Promise.resolve();
      return new Promise<void>((resolve) => {
        // CancelRequest: length 16, code 80877102, the backend's pid and secret key
        const message = Buffer.alloc(16);
        message.writeInt32BE(16, 0);
        message.writeInt32BE(80877102, 4);
        message.writeUInt32BE(pid >>> 0, 8);
        message.writeUInt32BE(secret >>> 0, 12);
        const socket = connectTo(target);
        const done = () => {
          clearTimeout(timer);
          socket.destroy();
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        socket.once("connect", () => socket.write(message));
        // the server closes the socket once it has passed the request on
        socket.once("close", done);
        socket.once("error", done);
      });
    },
  };
}
