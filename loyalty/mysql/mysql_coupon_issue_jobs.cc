// Bulk issuance jobs in MariaDB; a job is leased to one worker at a time.
#include "loyalty/mysql/mysql_coupon_issue_jobs.h"

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>

#include "loyalty/mysql/mysql_audit_log.h"
#include "loyalty/mysql/mysql_coupon_repository.h"
#include "loyalty/mysql/sql_values.h"

namespace loyalty {
namespace {

constexpr char kColumns[] =
    "job_id, definition_id, segment_id, after_member_id, requested, issued, state, prefix, "
    "created_at, created_by, "
    "finished_at, error, lease_token";

IssueJob ReadJob(sql::ResultSet& rs) {
  IssueJob j;
  j.job_id = rs.getString("job_id");
  j.definition_id = rs.getString("definition_id");
  j.segment_id = GetOptional(rs, "segment_id");
  j.after_member_id = rs.getString("after_member_id");
  j.requested = rs.getInt64("requested");
  j.issued = rs.getInt64("issued");
  j.state = ParseIssueJobState(rs.getString("state")).value_or(IssueJobState::kFailed);
  j.prefix = rs.getString("prefix");
  j.created_at = FromSqlTime(rs.getString("created_at"));
  j.created_by = rs.getString("created_by");
  j.finished_at = GetOptionalTime(rs, "finished_at");
  j.error = rs.getString("error");
  j.lease_token = rs.getString("lease_token");
  return j;
}

// Locks the job's row and checks `job.lease_token` still holds it.
Status CheckLease(sql::Connection& c, const IssueJob& job) {
  Statement s(
      c.prepareStatement("SELECT lease_token FROM coupon_issue_jobs WHERE job_id = ? FOR UPDATE"));
  s->setString(1, job.job_id);
  Rows rs(s->executeQuery());
  if (!rs->next() || rs->getString(1) != job.lease_token) {
    return Fail(Code::kAborted, "lease_lost",
                "issue job " + job.job_id + " was taken over by another worker");
  }
  return {};
}

}  // namespace

Status MysqlCouponIssueJobs::Create(const IssueJob& job, const AuditEntry& audit) {
  return pool_.Transaction([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(
        "INSERT INTO coupon_issue_jobs (job_id, definition_id, segment_id, requested, issued, "
        "state, prefix, created_at, created_by) VALUES (?,?,?,?,0,'queued',?,?,?)"));
    s->setString(1, job.job_id);
    s->setString(2, job.definition_id);
    BindOptional(*s, 3, job.segment_id);
    s->setInt64(4, job.requested);
    s->setString(5, job.prefix);
    s->setString(6, ToSqlTime(job.created_at));
    s->setString(7, job.created_by.substr(0, 24));
    s->execute();
    InsertAudit(c, audit);
    return {};
  });
}

Result<std::optional<IssueJob>> MysqlCouponIssueJobs::Find(const std::string& job_id) {
  std::optional<IssueJob> out;
  auto ran = pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(std::string("SELECT ") + kColumns +
                                   " FROM coupon_issue_jobs WHERE job_id = ?"));
    s->setString(1, job_id);
    Rows rs(s->executeQuery());
    if (rs->next()) out = ReadJob(*rs);
    return {};
  });
  if (!ran) return Fail(ran.error());
  return out;
}

Result<std::optional<IssueJob>> MysqlCouponIssueJobs::Claim(Instant now, Instant lease_until) {
  std::optional<IssueJob> out;
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    out.reset();
    Statement s(c.prepareStatement(
        std::string("SELECT ") + kColumns +
        " FROM coupon_issue_jobs WHERE state = 'queued' OR (state = 'running' AND lease_until < ?)"
        " ORDER BY created_at, job_id LIMIT 1 FOR UPDATE"));
    s->setString(1, ToSqlTime(now));
    Rows rs(s->executeQuery());
    if (!rs->next()) return {};
    out = ReadJob(*rs);
    out->lease_token = random_.NewId();
    Statement u(c.prepareStatement(
        "UPDATE coupon_issue_jobs SET state = 'running', lease_until = ?, lease_token = ? "
        "WHERE job_id = ?"));
    u->setString(1, ToSqlTime(lease_until));
    u->setString(2, out->lease_token);
    u->setString(3, out->job_id);
    u->execute();
    out->state = IssueJobState::kRunning;
    return {};
  });
  if (!ran) return Fail(ran.error());
  return out;
}

Result<int64_t> MysqlCouponIssueJobs::InsertBatch(const IssueJob& job,
                                                  const std::vector<IssuedCoupon>& codes,
                                                  Instant lease_until) {
  int64_t inserted = 0;
  auto ran = pool_.Transaction([&](sql::Connection& c) -> Status {
    if (auto ok = CheckLease(c, job); !ok) return ok;
    inserted = codes.empty() ? 0 : MysqlCouponRepository::InsertRowsOn(c, codes);
    Statement u(c.prepareStatement(
        "UPDATE coupon_issue_jobs SET issued = issued + ?, lease_until = ? WHERE job_id = ?"));
    u->setInt64(1, inserted);
    u->setString(2, ToSqlTime(lease_until));
    u->setString(3, job.job_id);
    u->execute();
    return {};
  });
  if (!ran) return Fail(ran.error());
  return inserted;
}

Status MysqlCouponIssueJobs::Advance(const IssueJob& job, const std::string& after_member_id,
                                     Instant lease_until) {
  return pool_.Transaction([&](sql::Connection& c) -> Status {
    if (auto ok = CheckLease(c, job); !ok) return ok;
    Statement u(c.prepareStatement(
        "UPDATE coupon_issue_jobs SET after_member_id = ?, lease_until = ? WHERE job_id = ?"));
    u->setString(1, after_member_id);
    u->setString(2, ToSqlTime(lease_until));
    u->setString(3, job.job_id);
    u->execute();
    return {};
  });
}

Status MysqlCouponIssueJobs::Finish(const IssueJob& job, IssueJobState state,
                                    const std::string& error, Instant at) {
  return pool_.Run([&](sql::Connection& c) -> Status {
    Statement s(c.prepareStatement(
        "UPDATE coupon_issue_jobs SET state = ?, error = ?, finished_at = ?, lease_until = NULL "
        "WHERE job_id = ? AND lease_token = ?"));
    s->setString(1, IssueJobStateName(state));
    s->setString(2, error.substr(0, 500));
    s->setString(3, ToSqlTime(at));
    s->setString(4, job.job_id);
    s->setString(5, job.lease_token);
    s->execute();
    return {};
  });
}

}  // namespace loyalty
