#include "wal_write_buffer.hpp"

#include <algorithm>
#include <cstddef>
#include <new>
#include <string>

namespace loyalty::server {
namespace {

constexpr const char* kVfsName = "loyalty-wal-buffer";
// A commit larger than this is written in pieces of about this size.
constexpr std::size_t kMaxGathered = 8 << 20;
// The unix VFS writes at most 128 KiB a call (it masks larger sizes, then reports a full disk).
constexpr std::size_t kMaxWritePiece = 64 << 10;

struct GatheringFile {
  sqlite3_file base;  // first, so SQLite's sqlite3_file* is a GatheringFile*
  sqlite3_file* real = nullptr;
  bool is_wal = false;
  bool gathering = false;  // only while its connection runs with synchronous=FULL
  bool defer_fsync = false;
  std::string gathered;  // WAL bytes not yet written, from gathered_offset on
  sqlite3_int64 gathered_offset = 0;
};

// The default VFS's file lives in the same allocation, after ours.
constexpr std::size_t kRealFileOffset = (sizeof(GatheringFile) + alignof(std::max_align_t) - 1) /
                                        alignof(std::max_align_t) * alignof(std::max_align_t);

sqlite3_vfs* real_vfs(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }
GatheringFile* as_gathering(sqlite3_file* file) { return reinterpret_cast<GatheringFile*>(file); }
const sqlite3_io_methods* real_methods(GatheringFile* file) { return file->real->pMethods; }

int write_gathered(GatheringFile* file) {
  int rc = SQLITE_OK;
  for (std::size_t done = 0; done < file->gathered.size() && rc == SQLITE_OK;) {
    const std::size_t piece = std::min(kMaxWritePiece, file->gathered.size() - done);
    rc = real_methods(file)->xWrite(file->real, file->gathered.data() + done,
                                    static_cast<int>(piece),
                                    file->gathered_offset + static_cast<sqlite3_int64>(done));
    done += piece;
  }
  file->gathered.clear();  // on failure the transaction fails and SQLite rolls it back
  return rc;
}

int file_close(sqlite3_file* base) {
  auto* file = as_gathering(base);
  int written = write_gathered(file);
  int closed = real_methods(file)->xClose(file->real);
  file->~GatheringFile();
  return written != SQLITE_OK ? written : closed;
}

int file_read(sqlite3_file* base, void* out, int amount, sqlite3_int64 offset) {
  auto* file = as_gathering(base);
  if (int rc = write_gathered(file); rc != SQLITE_OK) return rc;
  return real_methods(file)->xRead(file->real, out, amount, offset);
}

int file_write(sqlite3_file* base, const void* data, int amount, sqlite3_int64 offset) {
  auto* file = as_gathering(base);
  const auto size = static_cast<std::size_t>(amount);
  if (!file->gathering) return real_methods(file)->xWrite(file->real, data, amount, offset);
  const bool appends =
      !file->gathered.empty() &&
      offset == file->gathered_offset + static_cast<sqlite3_int64>(file->gathered.size()) &&
      file->gathered.size() + size <= kMaxGathered;
  if (!appends) {
    // Anything else (a rewrite of an earlier frame, a new header) goes after what came before.
    if (int rc = write_gathered(file); rc != SQLITE_OK) return rc;
    file->gathered_offset = offset;
  }
  file->gathered.append(static_cast<const char*>(data), size);
  return SQLITE_OK;
}

int file_truncate(sqlite3_file* base, sqlite3_int64 size) {
  auto* file = as_gathering(base);
  if (int rc = write_gathered(file); rc != SQLITE_OK) return rc;
  return real_methods(file)->xTruncate(file->real, size);
}

int file_sync(sqlite3_file* base, int flags) {
  auto* file = as_gathering(base);
  if (int rc = write_gathered(file); rc != SQLITE_OK) return rc;
  if (file->defer_fsync) return SQLITE_OK;
  return real_methods(file)->xSync(file->real, flags);
}

int file_size(sqlite3_file* base, sqlite3_int64* size) {
  auto* file = as_gathering(base);
  if (int rc = write_gathered(file); rc != SQLITE_OK) return rc;
  return real_methods(file)->xFileSize(file->real, size);
}

int file_lock(sqlite3_file* base, int level) {
  auto* file = as_gathering(base);
  return real_methods(file)->xLock(file->real, level);
}

int file_unlock(sqlite3_file* base, int level) {
  auto* file = as_gathering(base);
  return real_methods(file)->xUnlock(file->real, level);
}

int file_check_reserved_lock(sqlite3_file* base, int* reserved) {
  auto* file = as_gathering(base);
  return real_methods(file)->xCheckReservedLock(file->real, reserved);
}

int file_control(sqlite3_file* base, int operation, void* argument) {
  auto* file = as_gathering(base);
  if (int rc = write_gathered(file); rc != SQLITE_OK) return rc;
  return real_methods(file)->xFileControl(file->real, operation, argument);
}

int file_sector_size(sqlite3_file* base) {
  auto* file = as_gathering(base);
  return real_methods(file)->xSectorSize(file->real);
}

int file_device_characteristics(sqlite3_file* base) {
  auto* file = as_gathering(base);
  return real_methods(file)->xDeviceCharacteristics(file->real);
}

int file_shm_map(sqlite3_file* base, int region, int size, int extend, void volatile** out) {
  auto* file = as_gathering(base);
  if (real_methods(file)->iVersion < 2 || !real_methods(file)->xShmMap) return SQLITE_IOERR;
  return real_methods(file)->xShmMap(file->real, region, size, extend, out);
}

int file_shm_lock(sqlite3_file* base, int offset, int count, int flags) {
  auto* file = as_gathering(base);
  if (real_methods(file)->iVersion < 2 || !real_methods(file)->xShmLock) return SQLITE_IOERR;
  return real_methods(file)->xShmLock(file->real, offset, count, flags);
}

void file_shm_barrier(sqlite3_file* base) {
  auto* file = as_gathering(base);
  if (real_methods(file)->iVersion >= 2 && real_methods(file)->xShmBarrier)
    real_methods(file)->xShmBarrier(file->real);
}

int file_shm_unmap(sqlite3_file* base, int delete_flag) {
  auto* file = as_gathering(base);
  if (real_methods(file)->iVersion < 2 || !real_methods(file)->xShmUnmap) return SQLITE_OK;
  return real_methods(file)->xShmUnmap(file->real, delete_flag);
}

int file_fetch(sqlite3_file* base, sqlite3_int64 offset, int amount, void** out) {
  auto* file = as_gathering(base);
  *out = nullptr;
  if (int rc = write_gathered(file); rc != SQLITE_OK) return rc;
  if (real_methods(file)->iVersion < 3 || !real_methods(file)->xFetch) return SQLITE_OK;
  return real_methods(file)->xFetch(file->real, offset, amount, out);
}

int file_unfetch(sqlite3_file* base, sqlite3_int64 offset, void* page) {
  auto* file = as_gathering(base);
  if (real_methods(file)->iVersion < 3 || !real_methods(file)->xUnfetch) return SQLITE_OK;
  return real_methods(file)->xUnfetch(file->real, offset, page);
}

const sqlite3_io_methods kMethods = {
    3,
    file_close,
    file_read,
    file_write,
    file_truncate,
    file_sync,
    file_size,
    file_lock,
    file_unlock,
    file_check_reserved_lock,
    file_control,
    file_sector_size,
    file_device_characteristics,
    file_shm_map,
    file_shm_lock,
    file_shm_barrier,
    file_shm_unmap,
    file_fetch,
    file_unfetch,
};

int vfs_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* base, int flags,
             int* out_flags) {
  auto* file = new (base) GatheringFile();
  file->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(base) + kRealFileOffset);
  file->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  int rc = real_vfs(vfs)->xOpen(real_vfs(vfs), name, file->real, flags, out_flags);
  if (rc != SQLITE_OK || !file->real->pMethods) {
    // SQLite calls no xClose on a file whose pMethods is null.
    if (file->real->pMethods) file->real->pMethods->xClose(file->real);
    file->~GatheringFile();
    base->pMethods = nullptr;
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  base->pMethods = &kMethods;
  return SQLITE_OK;
}

// Everything else is the default VFS's own.
int vfs_delete(sqlite3_vfs* vfs, const char* name, int sync_directory) {
  return real_vfs(vfs)->xDelete(real_vfs(vfs), name, sync_directory);
}
int vfs_access(sqlite3_vfs* vfs, const char* name, int flags, int* result) {
  return real_vfs(vfs)->xAccess(real_vfs(vfs), name, flags, result);
}
int vfs_full_pathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return real_vfs(vfs)->xFullPathname(real_vfs(vfs), name, size, out);
}
void* vfs_dl_open(sqlite3_vfs* vfs, const char* name) {
  return real_vfs(vfs)->xDlOpen(real_vfs(vfs), name);
}
void vfs_dl_error(sqlite3_vfs* vfs, int size, char* out) {
  real_vfs(vfs)->xDlError(real_vfs(vfs), size, out);
}
void (*vfs_dl_sym(sqlite3_vfs* vfs, void* library, const char* symbol))(void) {
  return real_vfs(vfs)->xDlSym(real_vfs(vfs), library, symbol);
}
void vfs_dl_close(sqlite3_vfs* vfs, void* library) {
  real_vfs(vfs)->xDlClose(real_vfs(vfs), library);
}
int vfs_randomness(sqlite3_vfs* vfs, int size, char* out) {
  return real_vfs(vfs)->xRandomness(real_vfs(vfs), size, out);
}
int vfs_sleep(sqlite3_vfs* vfs, int microseconds) {
  return real_vfs(vfs)->xSleep(real_vfs(vfs), microseconds);
}
int vfs_current_time(sqlite3_vfs* vfs, double* out) {
  return real_vfs(vfs)->xCurrentTime(real_vfs(vfs), out);
}
int vfs_get_last_error(sqlite3_vfs* vfs, int size, char* out) {
  return real_vfs(vfs)->xGetLastError(real_vfs(vfs), size, out);
}
int vfs_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return real_vfs(vfs)->xCurrentTimeInt64(real_vfs(vfs), out);
}

sqlite3_vfs* make_vfs() {
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  if (!real || real->iVersion < 2 || !real->xCurrentTimeInt64) return nullptr;
  static sqlite3_vfs vfs{};
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(kRealFileOffset) + real->szOsFile;
  vfs.mxPathname = real->mxPathname;
  vfs.zName = kVfsName;
  vfs.pAppData = real;
  vfs.xOpen = vfs_open;
  vfs.xDelete = vfs_delete;
  vfs.xAccess = vfs_access;
  vfs.xFullPathname = vfs_full_pathname;
  vfs.xDlOpen = vfs_dl_open;
  vfs.xDlError = vfs_dl_error;
  vfs.xDlSym = vfs_dl_sym;
  vfs.xDlClose = vfs_dl_close;
  vfs.xRandomness = vfs_randomness;
  vfs.xSleep = vfs_sleep;
  vfs.xCurrentTime = vfs_current_time;
  vfs.xGetLastError = vfs_get_last_error;
  vfs.xCurrentTimeInt64 = vfs_current_time_int64;
  if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK) return nullptr;
  return &vfs;
}

}  // namespace

const char* wal_write_buffer_vfs() {
  static sqlite3_vfs* vfs = make_vfs();  // thread-safe once
  return vfs ? vfs->zName : nullptr;
}

namespace {

GatheringFile* wal_of(sqlite3* db) {
  sqlite3_file* wal = nullptr;
  // The WAL is opened with the connection's first read.
  if (sqlite3_exec(db, "PRAGMA schema_version;", nullptr, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK || !wal ||
      wal->pMethods != &kMethods || !as_gathering(wal)->is_wal)
    return nullptr;
  return as_gathering(wal);
}

}  // namespace

bool gather_wal_writes(sqlite3* db, bool defer_fsync) {
  GatheringFile* wal = wal_of(db);
  // FULL syncs the WAL before every commit is published: that sync writes the gathered frames.
  // A checkpoint on this connection would copy WAL pages into the database after a sync that
  // skipped the fsync, so with a deferred fsync checkpoints must run on other connections.
  const char* pragmas = defer_fsync ? "PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=0;"
                                    : "PRAGMA synchronous=FULL;";
  if (!wal || sqlite3_exec(db, pragmas, nullptr, nullptr, nullptr) != SQLITE_OK) return false;
  wal->gathering = true;
  wal->defer_fsync = defer_fsync;
  return true;
}

bool stop_gathering_wal_writes(sqlite3* db) {
  GatheringFile* wal = wal_of(db);
  if (!wal) return false;
  wal->gathering = false;
  wal->defer_fsync = false;
  return write_gathered(wal) == SQLITE_OK;
}

}  // namespace loyalty::server
