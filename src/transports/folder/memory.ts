// What a folder transport remembers about files it took but that are still in the folder, keyed by
// name + size + mtime (ms):
// - 'ingested': committed, but the archive step failed; the next scans retry only the archive step.
// - 'remembered': committed and left in place (archive action 'leave'); never taken again unless it changes.
// With a database the entries live in remote_files (migration 3) as well, so a restart does not take
// them again; without one (tests, the sample drop folder) they live as long as the process.
//
//   const memory = databaseFileMemory(db, { partner: 'acme', mailbox: 'file:/var/as2/acme/in' });
//   await memory.load();
//   memory.get({ name, size, mtimeMs })               // sync lookup per scanned file
//   await memory.remember({ name, size, mtimeMs }, { sha256, fileId, state: 'ingested' });
import { forgetRemoteFile, listRemoteFiles, rememberRemoteFile } from '../../store/partners-repo.js';
import type { Database } from '../../store/database.js';

export interface FileIdentity {
  name: string;
  size: number;
  mtimeMs: number;
}

export interface RememberedFile {
  sha256: string;
  fileId: number | null;
  state: 'ingested' | 'remembered';
}

export interface FileMemory {
  /** Reads what an earlier run remembered (no-op without a database). */
  load(): Promise<void>;
  get(file: FileIdentity): RememberedFile | undefined;
  /** Throws when the database write failed (the entry is kept in memory regardless). */
  remember(file: FileIdentity, entry: RememberedFile): Promise<void>;
  forget(file: FileIdentity): Promise<void>;
  /** Forgets entries whose name is not among `present` (the file went away: nothing to protect). */
  keepOnly(present: ReadonlySet<string>): Promise<void>;
  readonly size: number;
}

/** Local mtimes have sub-millisecond digits; the key (and the bigint column) keep whole milliseconds. */
const keyOf = (f: FileIdentity) => `${f.name}\u0000${f.size}\u0000${Math.trunc(f.mtimeMs)}`;

export function memoryOnly(): FileMemory {
  return cachedMemory({});
}

export function databaseFileMemory(db: Database, scope: { partner: string; mailbox: string }): FileMemory {
  const key = (f: FileIdentity) => ({ partner: scope.partner, mailbox: scope.mailbox, path: f.name, size: f.size, mtime: Math.trunc(f.mtimeMs) });
  return cachedMemory({
    async load() {
      const rows = await listRemoteFiles(db, scope);
      return rows
        .filter((r): r is typeof r & { state: RememberedFile['state'] } => r.state === 'ingested' || r.state === 'remembered')
        .map((r) => [{ name: r.path, size: r.size, mtimeMs: r.mtime }, { sha256: r.sha256, fileId: r.fileId, state: r.state }] as const);
    },
    async remember(f, e) {
      await rememberRemoteFile(db, { ...key(f), sha256: e.sha256, state: e.state, fileId: e.fileId });
    },
    async forget(f) {
      await forgetRemoteFile(db, key(f));
    },
  });
}

interface Store {
  load?(): Promise<(readonly [FileIdentity, RememberedFile])[]>;
  remember?(file: FileIdentity, entry: RememberedFile): Promise<void>;
  forget?(file: FileIdentity): Promise<void>;
}

function cachedMemory(store: Store): FileMemory {
  const entries = new Map<string, { file: FileIdentity; entry: RememberedFile }>();
  return {
    async load() {
      for (const [file, entry] of (await store.load?.()) ?? []) entries.set(keyOf(file), { file, entry });
    },
    get: (file) => entries.get(keyOf(file))?.entry,
    async remember(file, entry) {
      entries.set(keyOf(file), { file, entry });
      await store.remember?.(file, entry);
    },
    async forget(file) {
      if (!entries.delete(keyOf(file))) return;
      await store.forget?.(file);
    },
    async keepOnly(present) {
      for (const [k, { file }] of entries) {
        if (present.has(file.name)) continue;
        entries.delete(k);
        await store.forget?.(file);
      }
    },
    get size() {
      return entries.size;
    },
  };
}
