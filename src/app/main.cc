// The urbis binary: `urbis serve | backup | restore | verify-backup | config | version`.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.h"
#include "app/config.h"
#include "app/logging.h"
#include "core/version.h"

namespace {

// Flags shared by the commands that read the configuration.
struct ConfigFlags {
  std::string config_file;
  std::string listen, data, log_level, log_format;
  std::uint64_t threads = 0;
  std::vector<std::string> set;

  void add_to(CLI::App* cmd) {
    cmd->add_option("-c,--config", config_file, "TOML configuration file");
    cmd->add_option("--listen", listen, "address:port to listen on (server.listen)");
    cmd->add_option("--data", data, "data directory (store.data)");
    cmd->add_option("--threads", threads, "I/O threads, 0 = one per CPU (server.threads)");
    cmd->add_option("--log-level", log_level, "trace|debug|info|warn|error|off (log.level)");
    cmd->add_option("--log-format", log_format, "text|json (log.format)");
    cmd->add_option("--set", set, "any setting as key=value, e.g. limits.max_body_bytes=2097152");
  }

  // Flags win over the environment and the file: they go last, as overrides.
  std::vector<std::string> overrides(const CLI::App* cmd) const {
    std::vector<std::string> o;
    if (cmd->count("--listen")) o.push_back("server.listen=" + listen);
    if (cmd->count("--data")) o.push_back("store.data=" + data);
    if (cmd->count("--threads")) o.push_back("server.threads=" + std::to_string(threads));
    if (cmd->count("--log-level")) o.push_back("log.level=" + log_level);
    if (cmd->count("--log-format")) o.push_back("log.format=" + log_format);
    o.insert(o.end(), set.begin(), set.end());
    return o;
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"urbis: an open smart-city data platform (NGSI-LD context broker)"};
  app.require_subcommand(1);

  ConfigFlags serve_flags;
  urbis::app::ServeFlags serve_extra;
  auto* serve = app.add_subcommand("serve", "run the server");
  serve_flags.add_to(serve);
  serve->add_option("--port-file", serve_extra.port_file, "write the bound port to this file");

  ConfigFlags config_flags;
  auto* config = app.add_subcommand("config", "print the effective configuration as TOML");
  config_flags.add_to(config);

  std::string backup_data = "./data", backup_out;
  auto* backup = app.add_subcommand("backup", "online, consistent backup of a data directory");
  backup->add_option("--data", backup_data, "data directory to back up (may be in use)");
  backup->add_option("--out", backup_out, "new directory for the backup")->required();

  std::string restore_from, restore_data = "./data";
  auto* restore = app.add_subcommand("restore", "replace a stopped store with a backup");
  restore->add_option("--from", restore_from, "backup directory")->required();
  restore->add_option("--data", restore_data, "data directory to restore into");

  std::string verify_from;
  auto* verify = app.add_subcommand("verify-backup", "check a backup without restoring it");
  verify->add_option("--from", verify_from, "backup directory")->required();

  auto* version = app.add_subcommand("version", "print the version");

  CLI11_PARSE(app, argc, argv);

  if (version->parsed()) {
    std::cout << "urbis " << urbis::kVersion << " (" << urbis::kGitCommit << ", "
              << urbis::kBuildType << ")\n";
    return 0;
  }
  if (serve->parsed() || config->parsed()) {
    ConfigFlags& f = serve->parsed() ? serve_flags : config_flags;
    auto cfg =
        urbis::app::load_config(f.config_file, f.overrides(serve->parsed() ? serve : config));
    if (!cfg.ok()) {
      std::cerr << "urbis: " << cfg.error().detail << "\n";
      return 2;
    }
    if (config->parsed()) {
      std::cout << urbis::app::to_toml(cfg.value());
      return 0;
    }
    urbis::app::setup_logging(cfg->log_level, cfg->log_format);
    return urbis::app::serve(cfg.value(), serve_extra);
  }
  urbis::app::setup_logging("info", "text");
  if (backup->parsed()) return urbis::app::backup(backup_data, backup_out);
  if (restore->parsed()) return urbis::app::restore(restore_from, restore_data);
  if (verify->parsed()) return urbis::app::verify_backup(verify_from);
  return 2;
}
