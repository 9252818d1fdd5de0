#include "support/fault_vfs.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

namespace urbis::testing {
namespace {

FaultInjectionVfs* g_state = nullptr;
sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;

struct FaultFile {
  sqlite3_file base;
  sqlite3_file* real;
  std::string* path;  // null for temp files, which are not tracked
};

sqlite3_file* real_of(sqlite3_file* f) {
  return reinterpret_cast<FaultFile*>(f)->real;
}
FaultFile* ff(sqlite3_file* f) {
  return reinterpret_cast<FaultFile*>(f);
}

long long file_size(sqlite3_file* real) {
  sqlite3_int64 size = 0;
  if (real->pMethods->xFileSize(real, &size) != SQLITE_OK) return 0;
  return size;
}

// Records what a write or truncate is about to destroy, so it can be put back.
void remember(FaultFile* f, long long offset, long long length) {
  if (!f->path) return;
  auto& st = g_state->files[*f->path];
  const long long size = file_size(f->real);
  if (st.synced_size < 0) st.synced_size = size;
  const long long end = std::min(offset + length, size);
  FaultInjectionVfs::Undo u{offset, {}};
  if (end > offset) {
    u.old_bytes.resize(static_cast<std::size_t>(end - offset));
    f->real->pMethods->xRead(f->real, u.old_bytes.data(), static_cast<int>(end - offset), offset);
  }
  st.undo.push_back(std::move(u));
}

int x_close(sqlite3_file* f) {
  const int rc = real_of(f)->pMethods->xClose(real_of(f));
  delete ff(f)->path;
  return rc;
}
int x_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return real_of(f)->pMethods->xRead(real_of(f), buf, n, off);
}
int x_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  std::lock_guard lock(g_state->mu);
  if (g_state->cut) return SQLITE_IOERR_WRITE;
  remember(ff(f), off, n);
  return real_of(f)->pMethods->xWrite(real_of(f), buf, n, off);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  std::lock_guard lock(g_state->mu);
  if (g_state->cut) return SQLITE_IOERR_TRUNCATE;
  const long long current = file_size(real_of(f));
  if (size < current) remember(ff(f), size, current - size);
  return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
int x_sync(sqlite3_file* f, int flags) {
  std::lock_guard lock(g_state->mu);
  if (g_state->cut) return SQLITE_IOERR_FSYNC;
  const int rc = real_of(f)->pMethods->xSync(real_of(f), flags);
  if (rc == SQLITE_OK && ff(f)->path) {
    auto& st = g_state->files[*ff(f)->path];
    st.undo.clear();
    st.synced_size = file_size(real_of(f));
  }
  return rc;
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
int x_lock(sqlite3_file* f, int l) {
  return real_of(f)->pMethods->xLock(real_of(f), l);
}
int x_unlock(sqlite3_file* f, int l) {
  return real_of(f)->pMethods->xUnlock(real_of(f), l);
}
int x_check_reserved(sqlite3_file* f, int* out) {
  return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int x_sector_size(sqlite3_file* f) {
  return real_of(f)->pMethods->xSectorSize(real_of(f));
}
int x_device_chars(sqlite3_file* f) {
  return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
int x_shm_map(sqlite3_file* f, int pg, int sz, int extend, void volatile** p) {
  return real_of(f)->pMethods->xShmMap(real_of(f), pg, sz, extend, p);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) {
  real_of(f)->pMethods->xShmBarrier(real_of(f));
}
int x_shm_unmap(sqlite3_file* f, int del) {
  // After a power cut the index must survive for drop_unsynced_data() to remove it itself.
  if (g_state->is_cut()) del = 0;
  return real_of(f)->pMethods->xShmUnmap(real_of(f), del);
}

// Version 2: WAL needs the shared-memory methods; memory-mapped reads (v3) stay off so that
// every write goes through x_write.
const sqlite3_io_methods kMethods = {2,
                                     x_close,
                                     x_read,
                                     x_write,
                                     x_truncate,
                                     x_sync,
                                     x_file_size,
                                     x_lock,
                                     x_unlock,
                                     x_check_reserved,
                                     x_file_control,
                                     x_sector_size,
                                     x_device_chars,
                                     x_shm_map,
                                     x_shm_lock,
                                     x_shm_barrier,
                                     x_shm_unmap,
                                     nullptr,
                                     nullptr};

int v_open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  FaultFile* f = ff(file);
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  f->path = nullptr;
  const int rc = g_real->xOpen(g_real, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    file->pMethods = nullptr;
    return rc;
  }
  if (name) f->path = new std::string(name);
  file->pMethods = &kMethods;
  return SQLITE_OK;
}
int v_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  if (g_state->is_cut()) return SQLITE_IOERR_DELETE;
  {
    std::lock_guard lock(g_state->mu);
    g_state->files.erase(name);
  }
  return g_real->xDelete(g_real, name, sync_dir);
}
int v_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_real->xAccess(g_real, name, flags, out);
}
int v_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_real->xFullPathname(g_real, name, n, out);
}
void* v_dlopen(sqlite3_vfs*, const char* name) {
  return g_real->xDlOpen(g_real, name);
}
void v_dlerror(sqlite3_vfs*, int n, char* msg) {
  g_real->xDlError(g_real, n, msg);
}
void (*v_dlsym(sqlite3_vfs*, void* h, const char* sym))(void) {
  return g_real->xDlSym(g_real, h, sym);
}
void v_dlclose(sqlite3_vfs*, void* h) {
  g_real->xDlClose(g_real, h);
}
int v_randomness(sqlite3_vfs*, int n, char* out) {
  return g_real->xRandomness(g_real, n, out);
}
int v_sleep(sqlite3_vfs*, int us) {
  return g_real->xSleep(g_real, us);
}
int v_current_time(sqlite3_vfs*, double* t) {
  return g_real->xCurrentTime(g_real, t);
}
int v_get_last_error(sqlite3_vfs*, int n, char* out) {
  return g_real->xGetLastError(g_real, n, out);
}
int v_current_time_int64(sqlite3_vfs*, sqlite3_int64* t) {
  return g_real->xCurrentTimeInt64(g_real, t);
}

}  // namespace

FaultInjectionVfs& FaultInjectionVfs::install() {
  static FaultInjectionVfs* instance = [] {
    auto* s = new FaultInjectionVfs();
    g_state = s;
    g_real = sqlite3_vfs_find(nullptr);
    std::memset(&g_vfs, 0, sizeof g_vfs);
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + g_real->szOsFile;
    g_vfs.mxPathname = g_real->mxPathname;
    g_vfs.zName = kName;
    g_vfs.xOpen = v_open;
    g_vfs.xDelete = v_delete;
    g_vfs.xAccess = v_access;
    g_vfs.xFullPathname = v_full_pathname;
    g_vfs.xDlOpen = v_dlopen;
    g_vfs.xDlError = v_dlerror;
    g_vfs.xDlSym = v_dlsym;
    g_vfs.xDlClose = v_dlclose;
    g_vfs.xRandomness = v_randomness;
    g_vfs.xSleep = v_sleep;
    g_vfs.xCurrentTime = v_current_time;
    g_vfs.xGetLastError = v_get_last_error;
    g_vfs.xCurrentTimeInt64 = v_current_time_int64;
    sqlite3_vfs_register(&g_vfs, 0);
    return s;
  }();
  return *instance;
}

void FaultInjectionVfs::power_cut() {
  std::lock_guard lock(mu);
  cut = true;
}

bool FaultInjectionVfs::is_cut() const {
  std::lock_guard lock(const_cast<std::mutex&>(mu));
  return cut;
}

void FaultInjectionVfs::drop_unsynced_data() {
  std::lock_guard lock(mu);
  for (auto& [path, st] : files) {
    FILE* f = std::fopen(path.c_str(), "r+b");
    if (!f) continue;
    for (auto it = st.undo.rbegin(); it != st.undo.rend(); ++it) {
      if (it->old_bytes.empty()) continue;
      std::fseek(f, static_cast<long>(it->offset), SEEK_SET);
      std::fwrite(it->old_bytes.data(), 1, it->old_bytes.size(), f);
    }
    std::fflush(f);
    if (st.synced_size >= 0) {
      if (::ftruncate(fileno(f), st.synced_size) != 0) {
        // The test will see the damage; nothing more useful to do here.
      }
    }
    std::fclose(f);
    st.undo.clear();
    std::error_code ec;
    if (path.size() > 4 && path.compare(path.size() - 4, 4, "-wal") == 0) {
      std::filesystem::remove(path.substr(0, path.size() - 4) + "-shm", ec);
    }
  }
}

void FaultInjectionVfs::reset() {
  std::lock_guard lock(mu);
  cut = false;
  files.clear();
}

}  // namespace urbis::testing
