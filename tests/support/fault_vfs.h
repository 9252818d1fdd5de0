// A SQLite VFS shim that simulates power loss (the idea of leveldb's fault_injection_test):
// it remembers, per file, every byte written or truncated since the file's last xSync. After
// power_cut() every write, sync and delete fails, as if the machine had died; then
// drop_unsynced_data() puts every file back into the state it had at its last successful sync,
// which is all that a real disk guarantees to keep. The store is then reopened and checked.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace urbis::testing {

class FaultInjectionVfs {
 public:
  static constexpr const char* kName = "urbis-fault";
  // Registers the shim (once per process) on top of the default VFS and returns it.
  static FaultInjectionVfs& install();

  void power_cut();
  // Reverts every tracked file to its last synced content and length, and removes the
  // shared-memory index files (their content does not survive power loss either).
  void drop_unsynced_data();
  // Back to normal operation with no tracked state.
  void reset();
  bool is_cut() const;

  // Used by the shim's C callbacks.
  struct Undo {
    long long offset;
    std::string old_bytes;  // what was there before the write (only within the old length)
  };
  struct FileState {
    long long synced_size = -1;  // -1: never synced since tracking began -> size at first touch
    std::vector<Undo> undo;
  };
  std::mutex mu;
  std::map<std::string, FileState> files;
  bool cut = false;
};

}  // namespace urbis::testing
