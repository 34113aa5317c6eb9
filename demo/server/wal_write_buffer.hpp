// A SQLite VFS over the default one that gathers a commit's WAL writes into a few large writes.
//
// SQLite writes each WAL frame as two pwrite calls (a 24-byte header, then the page), so a
// group commit of a few hundred pages made a few hundred system calls, each touching two or
// three page-cache pages of the file: a third of the writer thread's time. For a connection that
// asks for it (gather_wal_writes), this VFS keeps appends to the WAL in memory and writes them
// out before anything can depend on them: before SQLite syncs, reads, truncates or sizes the
// file, and before it closes it. Under synchronous=FULL SQLite syncs the WAL before it publishes
// a commit to other connections, so no reader and no checkpoint sees a frame that is not in the
// file. (Under NORMAL there is no such sync, so gathering is tied to FULL.) A crash loses only
// frames of a commit that had not returned.
//
// Such a connection may also hand the WAL's fsync to someone else (GroupCommitter does, on its
// own thread): its syncs then write out the gathered frames but skip the fsync itself.
#pragma once

#include <sqlite3.h>

namespace loyalty::server {

/// The VFS's name, registered (once, not as the default) on first call; nullptr when SQLite
/// could not register it. Connections opened on it behave as on the default VFS until
/// gather_wal_writes().
const char* wal_write_buffer_vfs();

/// For a connection opened on wal_write_buffer_vfs(): sets synchronous=FULL (which must then
/// stay) and gathers its WAL writes. With `defer_fsync`, its syncs of the WAL only write out what
/// is gathered: the caller fsyncs the WAL file before relying on a commit, and checkpoints must
/// run on other connections (this one's automatic ones are turned off). False when the
/// connection has no WAL on this VFS.
bool gather_wal_writes(sqlite3* db, bool defer_fsync);

/// Undoes gather_wal_writes(), before the connection closes: its last checkpoint must fsync the
/// WAL itself before copying it into the database.
bool stop_gathering_wal_writes(sqlite3* db);

}  // namespace loyalty::server
