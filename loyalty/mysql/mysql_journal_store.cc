// Offline journal entries in MariaDB.
#include "loyalty/mysql/mysql_journal_store.h"

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include "loyalty/mysql/sql_values.h"

namespace loyalty {
namespace {

// At most `max` bytes of UTF-8 text, cut before a character, never inside one.
std::string Utf8Prefix(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

}  // namespace

Result<int64_t> MysqlJournalStore::LastSeq(const std::string& store_id,
                                           const std::string& terminal_id) {
  int64_t last = 0;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(
        "SELECT COALESCE(MAX(seq), 0) FROM pos_journal_entries WHERE store_id = ? AND "
        "terminal_id = ?"));
    s->setString(1, store_id);
    s->setString(2, terminal_id);
    Rows rs(s->executeQuery());
    if (rs->next()) last = rs->getInt64(1);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return last;
}

Result<std::optional<JournalRecord>> MysqlJournalStore::Find(const std::string& store_id,
                                                             const std::string& terminal_id,
                                                             int64_t seq) {
  std::optional<JournalRecord> out;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(
        "SELECT type, recorded_at, status, txn_id, error_code, error_message, uploaded_at "
        "FROM pos_journal_entries WHERE store_id = ? AND terminal_id = ? AND seq = ?"));
    s->setString(1, store_id);
    s->setString(2, terminal_id);
    s->setInt64(3, seq);
    Rows rs(s->executeQuery());
    if (!rs->next()) return {};
    out = JournalRecord{store_id,
                        terminal_id,
                        seq,
                        rs->getString("type"),
                        FromSqlTime(rs->getString("recorded_at")),
                        rs->getString("status") == "applied",
                        GetOptional(*rs, "txn_id"),
                        rs->getString("error_code"),
                        rs->getString("error_message"),
                        FromSqlTime(rs->getString("uploaded_at"))};
    return {};
  });
  if (!ran) return Fail(ran.error());
  return out;
}

Status MysqlJournalStore::Record(const JournalRecord& r) {
  return pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(
        "INSERT IGNORE INTO pos_journal_entries (store_id, terminal_id, seq, type, recorded_at, "
        "status, txn_id, error_code, error_message, uploaded_at) VALUES (?,?,?,?,?,?,?,?,?,?)"));
    s->setString(1, r.store_id);
    s->setString(2, r.terminal_id);
    s->setInt64(3, r.seq);
    s->setString(4, r.type);
    s->setString(5, ToSqlTime(r.recorded_at));
    s->setString(6, r.applied ? "applied" : "failed");
    BindOptional(*s, 7, r.txn_id);
    s->setString(8, Utf8Prefix(r.error_code, 64));
    s->setString(9, Utf8Prefix(r.error_message, 500));
    s->setString(10, ToSqlTime(r.uploaded_at));
    s->execute();
    return {};
  });
}

}  // namespace loyalty
