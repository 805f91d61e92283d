// `loyalty admin ...`: staff accounts and stores from the shell (first admin, scripted setup).
#include <date/tz.h>
#include <unistd.h>

#include <iostream>

#include "api/cli/commands.h"
#include "loyalty/common/hex.h"
#include "loyalty/common/time_format.h"
#include "loyalty/domain/store_id.h"

namespace loyalty::api {
namespace {

// "--name value" pairs; repeated --store collects into a list.
struct Flags {
  std::map<std::string, std::string> values;
  std::vector<std::string> stores;
  std::string error;
};

Flags ParseFlags(const Args& args, size_t from, std::initializer_list<const char*> known) {
  Flags f;
  for (size_t i = from; i < args.size(); ++i) {
    const std::string& a = args[i];
    bool ok = false;
    for (const char* k : known) ok = ok || a == std::string("--") + k;
    if (!ok || i + 1 >= args.size()) {
      f.error = ok ? a + " needs a value" : "unknown option " + a;
      return f;
    }
    if (a == "--store") {
      f.stores.push_back(args[++i]);
    } else {
      f.values[a.substr(2)] = args[++i];
    }
  }
  return f;
}

int Report(const Error& e) {
  std::cerr << "error: " << e.message << " (" << e.slug << ")\n";
  // 2: the command line asked for something impossible; 1: the system failed.
  return e.code == Code::kInvalidArgument || e.code == Code::kAlreadyExists || e.code == Code::kNotFound
             ? 2
             : 1;
}

int CreateStaff(Runtime& rt, const Args& args) {
  const Flags f = ParseFlags(args, 1, {"username", "role", "store", "display-name"});
  if (!f.error.empty() || !f.values.count("username") || !f.values.count("role")) {
    std::cerr << (f.error.empty() ? "--username and --role are required" : f.error) << "\n"
              << Usage("admin");
    return 2;
  }
  auto role = ParseRole(f.values.at("role"));
  if (!role) {
    std::cerr << "error: --role must be admin, marketer, store_manager, cashier or auditor\n";
    return 2;
  }
  if (isatty(STDIN_FILENO)) std::cerr << "password (12+ characters): " << std::flush;
  std::string password;
  std::getline(std::cin, password);
  NewStaff staff{f.values.at("username"),
                 f.values.count("display-name") ? f.values.at("display-name")
                                                : f.values.at("username"),
                 *role, f.stores};
  auto created = rt.staff->CreateStaff(Actor::System("cli"), staff, password);
  if (!created) return Report(created.error());
  std::cout << "created staff " << created->username << " (" << RoleName(created->role)
            << ") id " << created->staff_id << "\n";
  return 0;
}

int AddStore(Runtime& rt, const Args& args) {
  const Flags f = ParseFlags(args, 1, {"id", "name", "zone", "currency"});
  if (!f.error.empty() || !f.values.count("id") || !f.values.count("name")) {
    std::cerr << (f.error.empty() ? "--id and --name are required" : f.error) << "\n"
              << Usage("admin");
    return 2;
  }
  Store store{f.values.at("id"), f.values.at("name")};
  if (f.values.count("zone")) store.time_zone = f.values.at("zone");
  try {
    date::locate_zone(store.time_zone);
  } catch (const std::exception&) {
    std::cerr << "error: --zone must be an IANA time zone such as Asia/Shanghai\n";
    return 2;
  }
  if (f.values.count("currency")) store.currency = f.values.at("currency");
  auto ok = rt.store_repository->Upsert(store);
  if (!ok) return Report(ok.error());
  std::cout << "store " << store.store_id << " saved\n";
  return 0;
}

int AddTerminal(Runtime& rt, const Args& args) {
  const Flags f = ParseFlags(args, 1, {"store", "id"});
  if (!f.error.empty() || f.stores.size() != 1) {
    std::cerr << (f.error.empty() ? "--store is required (once)" : f.error) << "\n" << Usage("admin");
    return 2;
  }
  const std::string id =
      f.values.count("id") ? f.values.at("id") : f.stores.front() + "-" + rt.random.NewId().substr(0, 6);
  if (auto ok = ValidStoreId(id, "--id"); !ok) return Report(ok.error());
  // The key is the ASCII text printed below, used as the raw HMAC key by the till.
  const std::string key = HexEncode(rt.random.Bytes(32));
  TerminalRecord terminal;
  terminal.terminal_id = id;
  terminal.store_id = f.stores.front();
  terminal.key_cipher = rt.pii->Encrypt(key);
  auto added = rt.terminals->Insert(terminal, rt.clock.Now());
  if (!added) return Report(added.error());
  std::cout << "terminal " << id << " (store " << f.stores.front() << ")\nkey " << key
            << "\nThe key is shown only now; configure it on the till.\n";
  return 0;
}

// A new key for a till; the old one keeps working for the overlap so tills can switch over.
int RotateTerminalKey(Runtime& rt, const Args& args) {
  const Flags f = ParseFlags(args, 1, {"id", "overlap-hours"});
  if (!f.error.empty() || !f.values.count("id")) {
    std::cerr << (f.error.empty() ? "--id is required" : f.error) << "\n" << Usage("admin");
    return 2;
  }
  int overlap_hours = 24;
  if (f.values.count("overlap-hours")) {
    const std::string& raw = f.values.at("overlap-hours");
    const bool digits =
        !raw.empty() && raw.size() <= 4 && raw.find_first_not_of("0123456789") == std::string::npos;
    overlap_hours = digits ? std::stoi(raw) : -1;
    if (overlap_hours < 0 || overlap_hours > 24 * 30) {
      std::cerr << "error: --overlap-hours must be a whole number from 0 to 720\n";
      return 2;
    }
  }
  const std::string key = HexEncode(rt.random.Bytes(32));
  const Instant until = rt.clock.Now() + std::chrono::hours(overlap_hours);
  auto rotated = rt.terminals->Rotate(f.values.at("id"), rt.pii->Encrypt(key), until);
  if (!rotated) return Report(rotated.error());
  std::cout << "terminal " << f.values.at("id") << "\nkey " << key
            << "\nThe previous key works until " << FormatInstant(until)
            << ". The new key is shown only now; configure it on the till.\n";
  return 0;
}

}  // namespace

int AdminCommand(Runtime& rt, const Args& args) {
  if (args.empty() || args[0] == "--help") {
    std::cout << Usage("admin");
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "create-staff") return CreateStaff(rt, args);
  if (args[0] == "add-store") return AddStore(rt, args);
  if (args[0] == "add-terminal") return AddTerminal(rt, args);
  if (args[0] == "rotate-terminal-key") return RotateTerminalKey(rt, args);
  if (args[0] == "seed-demo") return SeedDemo(rt);
  std::cerr << "unknown admin command '" << args[0] << "'\n" << Usage("admin");
  return 2;
}

std::string Usage(const std::string& command) {
  if (command.empty()) {
    return "usage: loyalty <command> [options]\n"
           "commands:\n"
           "  serve     run the HTTP API (LOYALTY_HTTP_ADDR:LOYALTY_HTTP_PORT, default "
           "127.0.0.1:8080)\n"
           "  migrate   apply new sql/migrations to LOYALTY_MYSQL_URL (embedded in the binary)\n"
           "  admin     create-staff, add-store, add-terminal, rotate-terminal-key, seed-demo\n"
           "  audit     check every points account against its entries and lots\n"
           "  import-poslog FILE...  import ARTS POSLog files (sales, returns, voids)\n"
           "  activate  make pending points available whose return window is over\n"
           "  expire    expire points whose time has come\n"
           "Every command reads LOYALTY_MYSQL_URL, LOYALTY_REDIS_URL and LOYALTY_MASTER_KEY; "
           "see README.md for all settings.\n"
           "`loyalty <command> --help` explains one command.\n";
  }
  if (command == "serve") {
    return "usage: loyalty serve\n"
           "Serves the API until SIGINT or SIGTERM. Logs are JSON lines on stderr.\n";
  }
  if (command == "migrate") {
    return "usage: loyalty migrate\n"
           "Applies migrations not yet recorded in schema_migrations; refuses to run if an "
           "applied migration was edited. Safe to run again.\n";
  }
  if (command == "audit") {
    return "usage: loyalty audit\n"
           "Checks for every member: balance = sum of ledger entries = sum of open lots, and "
           "nothing negative unless the refund policy allows it. Exits 1 naming offenders.\n";
  }
  if (command == "import-poslog") {
    return "usage: loyalty import-poslog FILE...\n"
           "Imports ARTS POSLog files (v6 under either namespace, NCR ACS 2.x) as sales, returns "
           "and voids, once each: (store, workstation, business day, sequence number) is the "
           "transaction's id, so a file imported again changes nothing. Prints one JSON report "
           "per file (accepted, skipped, rejected with reasons). Exits 1 when a file cannot be "
           "read or is refused as a whole.\n";
  }
  if (command == "activate" || command == "expire") {
    return "usage: loyalty " + command +
           "\nDoes now what `loyalty serve` does every minute; safe to run any number of times "
           "and alongside a running server.\n";
  }
  if (command == "admin") {
    return "usage:\n"
           "  loyalty admin create-staff --username NAME --role ROLE [--store ID]... "
           "[--display-name TEXT]\n"
           "      roles: admin, marketer, store_manager, cashier, auditor; store_manager and "
           "cashier need --store\n"
           "      the password is read from the first line of standard input\n"
           "  loyalty admin add-store --id ID --name NAME [--zone Asia/Shanghai] "
           "[--currency CNY]\n"
           "  loyalty admin add-terminal --store ID [--id TERMINAL_ID]   prints the terminal's "
           "key\n"
           "  loyalty admin rotate-terminal-key --id TERMINAL_ID [--overlap-hours 24]\n"
           "      prints a new key; the old one is accepted for the overlap\n"
           "  loyalty admin seed-demo      load the demo chain (skipped if already loaded)\n";
  }
  return "";
}

}  // namespace loyalty::api
