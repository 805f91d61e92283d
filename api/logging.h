// Structured JSON logs on stderr, one object per line: {"ts","level",...fields}.
#pragma once

#include <string>

namespace loyalty::api {

// Call sites log either plain text (becomes "msg") or a JSON object whose fields are merged
// into the line. PII never reaches a log line: callers log ids and masked values only.
void ConfigureLogging(const std::string& level);

}  // namespace loyalty::api
