// Conversions between domain values and the text forms bound to and read from MariaDB.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include "loyalty/common/clock.h"

namespace loyalty {

// Owners of Connector/C++ objects, which the caller must delete.
using Statement = std::unique_ptr<sql::PreparedStatement>;
using Rows = std::unique_ptr<sql::ResultSet>;

// DATETIME(6) in UTC: "2026-11-23 15:35:25.123456".
std::string ToSqlTime(Instant t);
Instant FromSqlTime(const std::string& text);

void BindOptional(sql::PreparedStatement& s, int index, const std::optional<std::string>& v);
std::optional<std::string> GetOptional(sql::ResultSet& rs, const char* column);
void BindOptionalTime(sql::PreparedStatement& s, int index, const std::optional<Instant>& t);
std::optional<Instant> GetOptionalTime(sql::ResultSet& rs, const char* column);

}  // namespace loyalty
