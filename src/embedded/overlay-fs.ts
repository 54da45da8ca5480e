/**
 * A copy-on-write data dir for PGlite: the database reads a shared,
 * never-modified directory (the lower layer, a cache entry unpacked once per
 * process) and everything it changes lands in its own directory (the upper
 * layer). A file is copied up the first time it is written, not when it is
 * opened (PostgreSQL opens every relation file read-write), so opening a
 * database costs the same whatever the size of its schema: only the files it
 * writes are ever copied (README "Snapshot cache").
 *
 * It is an Emscripten file system mounted where PGlite's NodeFS would mount
 * its directory, built from PGlite's own NODEFS (which does the real node:fs
 * calls and error mapping); what is deleted or copied up is remembered in
 * this process, which is the only one that ever sees the database.
 */
import {
  chmodSync,
  closeSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  renameSync,
  rmSync,
  rmdirSync,
  statfsSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
  constants,
} from "node:fs";
import { join } from "node:path";
import { NodeFS } from "@electric-sql/pglite/nodefs";
import type { PGlite } from "@electric-sql/pglite";

/** Where PGlite's NodeFS mounts its data dir in the wasm file system (PGlite's PGDATA). */
const PGDATA = "/pglite/data";

/** Per path (relative to the data dir): in the upper layer only, in both (a directory whose listing merges them), or deleted. */
type State = "upper" | "merged" | "gone";
/** Where a path lives now. */
type Place = "lower" | "upper" | "gone";

// the parts of Emscripten's FS and PGlite's NODEFS this file uses (they have no published types)
interface EmNode {
  name: string;
  parent: EmNode;
  mode: number;
  node_ops: unknown;
  stream_ops: unknown;
}
interface EmHandle {
  fd: number;
  /** still open on the lower layer's file or directory: moved to the copy when one is made (so it sees later writes), and makes the copy before its own first write or attribute change */
  pending: boolean;
  readonly lowerPath: string;
  readonly flags: number;
}
interface EmStream {
  node: EmNode;
  flags: number;
  nfd?: number;
  shared: { refcount: number };
  overlay?: EmHandle;
}
type Attr = { mode?: number; size?: number; atime?: number; mtime?: number; dontFollow?: boolean };
interface NodeFsOps {
  getattr(stream: EmStream): unknown;
  setattr(stream: EmStream, attr: Attr): void;
  read(stream: EmStream, buffer: Uint8Array, offset: number, length: number, position: number): number;
  write(stream: EmStream, buffer: Uint8Array, offset: number, length: number, position: number): number;
  llseek(stream: EmStream, offset: number, whence: number): number;
  mmap(stream: EmStream, length: number, position: number, prot: number, flags: number): unknown;
}
interface EmModule {
  FS: {
    createNode(parent: EmNode | null, name: string, mode: number, rdev?: number): EmNode;
    isDir(mode: number): boolean;
    isFile(mode: number): boolean;
    isLink(mode: number): boolean;
    mkdirTree(path: string): void;
    mount(type: unknown, opts: unknown, mountpoint: string): void;
    ErrnoError: new (errno: number) => Error;
  };
  NODEFS: {
    tryFSOperation<T>(f: () => T): T;
    convertNodeCode(e: { code: string }): number;
    getMode(path: string): number;
    flagsForNode(flags: number): number;
    doGetAttr(f: () => unknown, node: EmNode): unknown;
    doSetAttr(arg: string, node: EmNode, attr: Attr, chmod: unknown, utimes: unknown, truncate: unknown, stat: unknown): void;
    stream_ops: NodeFsOps;
  };
}

const CHUNK = 1 << 20;
const ZEROS = new Uint8Array(CHUNK);

/** Copy a file; runs of zero bytes are left as holes (a snapshot's WAL segment is 16 MB of mostly nothing). */
export function copySparse(from: string, to: string): void {
  const src = openSync(from, "r");
  try {
    const { size, mode } = fstatSync(src);
    const dst = openSync(to, "w", mode & 0o7777);
    try {
      const buffer = Buffer.allocUnsafe(CHUNK);
      for (let at = 0; at < size; ) {
        const n = readSync(src, buffer, 0, Math.min(CHUNK, size - at), at);
        if (n === 0) break;
        if (!buffer.subarray(0, n).equals(ZEROS.subarray(0, n))) writeSync(dst, buffer, 0, n, at);
        at += n;
      }
      ftruncateSync(dst, size);
    } finally {
      closeSync(dst);
    }
  } finally {
    closeSync(src);
  }
}

/** The Emscripten file system of one database: `lower` is only ever read, `upper` receives every change. */
export function overlayFileSystem(mod: EmModule, lower: string, upper: string) {
  const { FS, NODEFS } = mod;
  const nodeOps = NODEFS.stream_ops;
  const states = new Map<string, State>([["", "merged"]]);
  const streams = new Set<EmStream>();
  let orphans = 0;
  const fail = (code: string): Error => new FS.ErrnoError(NODEFS.convertNodeCode({ code }));

  const relOf = (node: EmNode): string => {
    const parts: string[] = [];
    for (let n = node; n.parent !== n; n = n.parent) parts.push(n.name);
    return parts.reverse().join("/");
  };
  const relJoin = (rel: string, name: string): string => (rel === "" ? name : `${rel}/${name}`);
  const childRel = (parent: EmNode, name: string): string => relJoin(relOf(parent), name);
  const parentRel = (rel: string): string => rel.slice(0, Math.max(0, rel.lastIndexOf("/")));

  /** Where rel lives: its own state, else the nearest ancestor's (a new directory hides the lower one's entries). */
  const place = (rel: string): Place => {
    for (let p = rel; ; p = parentRel(p)) {
      const state = states.get(p);
      if (state === "gone") return "gone";
      if (state === "upper") return "upper";
      if (state === "merged") return p === rel ? "upper" : "lower";
      if (p === "") return "lower";
    }
  };
  const pathOf = (rel: string, where: Place = place(rel)): string => join(where === "lower" ? lower : upper, rel);

  /** Make rel (a directory) exist in the upper layer, merged with the lower one. */
  const ensureUpperDir = (rel: string): void => {
    const where = place(rel);
    if (where === "upper") return;
    if (where === "gone") throw fail("ENOENT");
    ensureUpperDir(parentRel(rel));
    NODEFS.tryFSOperation(() => mkdirSync(join(upper, rel), lstatSync(join(lower, rel)).mode & 0o7777));
    states.set(rel, "merged");
    reopen(join(lower, rel), join(upper, rel));
  };

  /** Reopen every stream still on the lower file or directory `lowerPath` on `path` (its copy, or an unlinked private one). */
  const reopen = (lowerPath: string, path: string): void => {
    // a dup'ed stream shares its original's handle: the first of them reopens it, every one takes the new descriptor
    const moved = new Set<EmHandle>();
    for (const stream of streams) {
      const handle = stream.overlay;
      if (handle === undefined) continue;
      if (handle.pending && handle.lowerPath === lowerPath) {
        const fd = NODEFS.tryFSOperation(() => openSync(path, NODEFS.flagsForNode(handle.flags) & ~(constants.O_CREAT | constants.O_EXCL | constants.O_TRUNC)));
        closeSync(handle.fd);
        handle.fd = fd;
        handle.pending = false;
        moved.add(handle);
      }
      if (moved.has(handle)) stream.nfd = handle.fd;
    }
  };

  /** Copy the lower file rel up (first write, truncate, rename, chmod), or create it empty when it is about to be truncated to nothing. */
  const copyUp = (rel: string, empty = false): void => {
    if (place(rel) !== "lower") return;
    ensureUpperDir(parentRel(rel));
    const from = join(lower, rel);
    const to = join(upper, rel);
    NODEFS.tryFSOperation(() => {
      const { mode } = lstatSync(from);
      try {
        if (FS.isLink(mode)) symlinkSync(readlinkSync(from), to); // a link is copied, not what it points to
        else if (empty) writeFileSync(to, "", { mode: mode & 0o7777 });
        else copySparse(from, to);
      } catch (error) {
        rmSync(to, { force: true }); // a copy cut short (ENOSPC): the lower file stays the one in use
        throw error;
      }
    });
    states.set(rel, "upper");
    reopen(from, to);
  };

  /** A stream about to write or change attributes: copy its file up, or, when the file was deleted or replaced meanwhile, give it a private copy (as an open descriptor of a deleted file keeps its data). */
  const beforeWrite = (stream: EmStream): void => {
    const handle = stream.overlay;
    if (!handle?.pending) return;
    const rel = relOf(stream.node);
    const dir = FS.isDir(stream.node.mode);
    if (place(rel) === "lower" && pathOf(rel) === handle.lowerPath) return dir ? ensureUpperDir(rel) : copyUp(rel);
    if (dir) throw fail("ENOENT"); // (fchmod of a removed directory: nothing PostgreSQL does)
    const orphan = join(upper, `.retort-orphan-${++orphans}`);
    try {
      NODEFS.tryFSOperation(() => copySparse(handle.lowerPath, orphan));
      reopen(handle.lowerPath, orphan);
    } finally {
      rmSync(orphan, { force: true });
    }
  };

  /** A directory's entries: the upper layer's, then the lower one's unless the directory is new there, less what was deleted. */
  const entries = (rel: string): string[] => {
    const where = place(rel);
    if (where === "gone") throw fail("ENOENT");
    const names = new Set<string>();
    if (where === "upper") for (const name of NODEFS.tryFSOperation(() => readdirSync(join(upper, rel)))) names.add(name);
    if (where === "lower" || states.get(rel) === "merged") for (const name of NODEFS.tryFSOperation(() => readdirSync(join(lower, rel)))) names.add(name);
    return [...names].filter((name) => place(relJoin(rel, name)) !== "gone");
  };

  const createNode = (parent: EmNode | null, name: string, mode: number): EmNode => {
    if (!FS.isDir(mode) && !FS.isFile(mode) && !FS.isLink(mode)) throw fail("EINVAL");
    const node = FS.createNode(parent, name, mode);
    node.node_ops = node_ops;
    node.stream_ops = stream_ops;
    return node;
  };

  const node_ops = {
    getattr: (node: EmNode) => {
      const path = pathOf(relOf(node));
      return NODEFS.doGetAttr(() => lstatSync(path), node);
    },
    setattr: (node: EmNode, attr: Attr) => {
      const rel = relOf(node);
      if (attr.mode != null && attr.dontFollow) throw fail("EINVAL");
      if (FS.isDir(node.mode)) ensureUpperDir(rel);
      else copyUp(rel, attr.size === 0);
      NODEFS.doSetAttr(pathOf(rel), node, attr, chmodSync, attr.dontFollow ? lutimesSync : utimesSync, truncateSync, lstatSync);
    },
    lookup: (parent: EmNode, name: string) => {
      const rel = childRel(parent, name);
      const where = place(rel);
      if (where === "gone") throw fail("ENOENT");
      return createNode(parent, name, NODEFS.getMode(pathOf(rel, where)));
    },
    mknod: (parent: EmNode, name: string, mode: number) => {
      const rel = childRel(parent, name);
      ensureUpperDir(relOf(parent));
      const node = createNode(parent, name, mode);
      const path = join(upper, rel);
      NODEFS.tryFSOperation(() => (FS.isDir(mode) ? mkdirSync(path, mode) : writeFileSync(path, "", { mode })));
      states.set(rel, "upper");
      return node;
    },
    rename: (node: EmNode, newDir: EmNode, newName: string) => {
      const from = relOf(node);
      const to = childRel(newDir, newName);
      if (FS.isDir(node.mode) && states.get(from) !== "upper") throw fail("EXDEV"); // PostgreSQL renames files only
      // a directory replaces only an empty one: the upper layer alone cannot tell when the lower one has entries
      if (FS.isDir(node.mode) && place(to) !== "gone" && existsSync(pathOf(to)) && entries(to).length > 0) throw fail("ENOTEMPTY");
      copyUp(from);
      ensureUpperDir(relOf(newDir));
      NODEFS.tryFSOperation(() => renameSync(join(upper, from), join(upper, to)));
      for (const [key, state] of [...states]) {
        if (key.startsWith(`${from}/`)) {
          states.delete(key);
          states.set(to + key.slice(from.length), state);
        }
      }
      states.set(to, "upper");
      states.set(from, "gone");
      node.name = newName;
    },
    unlink: (parent: EmNode, name: string) => {
      const rel = childRel(parent, name);
      const where = place(rel);
      if (where === "gone") throw fail("ENOENT");
      if (where === "upper") NODEFS.tryFSOperation(() => unlinkSync(join(upper, rel)));
      else NODEFS.tryFSOperation(() => lstatSync(join(lower, rel)));
      states.set(rel, "gone");
    },
    rmdir: (parent: EmNode, name: string) => {
      const rel = childRel(parent, name);
      if (entries(rel).length > 0) throw fail("ENOTEMPTY");
      if (place(rel) === "upper") NODEFS.tryFSOperation(() => rmdirSync(join(upper, rel)));
      for (const key of [...states.keys()]) if (key.startsWith(`${rel}/`)) states.delete(key);
      states.set(rel, "gone");
    },
    readdir: (node: EmNode) => entries(relOf(node)),
    symlink: (parent: EmNode, name: string, target: string) => {
      const rel = childRel(parent, name);
      ensureUpperDir(relOf(parent));
      NODEFS.tryFSOperation(() => symlinkSync(target, join(upper, rel)));
      states.set(rel, "upper");
    },
    readlink: (node: EmNode) => NODEFS.tryFSOperation(() => readlinkSync(pathOf(relOf(node)))),
    statfs: () => {
      const stats = NODEFS.tryFSOperation(() => statfsSync(upper));
      return { ...stats, frsize: stats.bsize };
    },
  };

  const stream_ops = {
    open: (stream: EmStream) => {
      const rel = relOf(stream.node);
      const where = place(rel);
      if (where === "gone") throw fail("ENOENT");
      const path = pathOf(rel, where);
      stream.shared.refcount = 1;
      // what is in the lower layer is opened read-only, for writing or not: a reader must follow it to its copy too
      if (where === "lower") {
        const fd = NODEFS.tryFSOperation(() => openSync(path, constants.O_RDONLY));
        stream.overlay = { fd, pending: true, lowerPath: path, flags: stream.flags };
        stream.nfd = fd;
      } else {
        stream.nfd = NODEFS.tryFSOperation(() => openSync(path, NODEFS.flagsForNode(stream.flags)));
        stream.overlay = { fd: stream.nfd, pending: false, lowerPath: path, flags: stream.flags };
      }
      streams.add(stream);
    },
    close: (stream: EmStream) => {
      streams.delete(stream);
      NODEFS.tryFSOperation(() => {
        if (stream.nfd !== undefined && !--stream.shared.refcount) closeSync(stream.nfd);
      });
    },
    dup: (stream: EmStream) => {
      stream.shared.refcount++;
      streams.add(stream);
    },
    getattr: (stream: EmStream) => nodeOps.getattr(stream),
    setattr: (stream: EmStream, attr: Attr) => {
      beforeWrite(stream);
      nodeOps.setattr(stream, attr);
    },
    read: (stream: EmStream, buffer: Uint8Array, offset: number, length: number, position: number) => nodeOps.read(stream, buffer, offset, length, position),
    write: (stream: EmStream, buffer: Uint8Array, offset: number, length: number, position: number) => {
      beforeWrite(stream);
      return nodeOps.write(stream, buffer, offset, length, position);
    },
    llseek: (stream: EmStream, offset: number, whence: number) => nodeOps.llseek(stream, offset, whence),
    mmap: (stream: EmStream, length: number, position: number, prot: number, flags: number) => nodeOps.mmap(stream, length, position, prot, flags),
    msync: (stream: EmStream, buffer: Uint8Array, offset: number, length: number) => {
      stream_ops.write(stream, buffer, 0, length, offset);
      return 0;
    },
  };

  return { mount: () => createNode(null, "/", NODEFS.getMode(upper)), node_ops, stream_ops };
}

/**
 * PGlite's file system for a database whose data dir is `lower` seen
 * through the (empty or absent) directory `upper`; `onClose` runs after
 * PGlite has shut down (the caller removes `upper` then).
 */
export class OverlayNodeFS extends NodeFS {
  constructor(
    private readonly lower: string,
    upper: string,
    private readonly onClose: () => void,
  ) {
    super(upper);
  }

  override async init(pg: PGlite, opts: Parameters<NodeFS["init"]>[1]): ReturnType<NodeFS["init"]> {
    this.pg = pg;
    const mountOverlay = (mod: EmModule) => {
      mod.FS.mkdirTree(PGDATA);
      mod.FS.mount(overlayFileSystem(mod, this.lower, this.rootDir), {}, PGDATA);
    };
    return { emscriptenOpts: { ...opts, preRun: [...(opts.preRun ?? []), mountOverlay as never] } };
  }

  override async closeFs(): Promise<void> {
    try {
      await super.closeFs();
    } finally {
      this.onClose();
    }
  }
}
