#include "pg_connection.hpp"

#include <libpq-fe.h>

#include <charconv>

namespace loyalty::server {

PgParams& PgParams::text(std::string_view value) {
  values_.emplace_back(std::string(value));
  return *this;
}

PgParams& PgParams::integer(std::int64_t value) {
  values_.emplace_back(std::to_string(value));
  return *this;
}

PgParams& PgParams::null() {
  values_.emplace_back(std::nullopt);
  return *this;
}

PgParams& PgParams::optional_integer(const std::optional<std::int64_t>& value) {
  return value ? integer(*value) : null();
}

PgResult::PgResult(pg_result* result) : result_(result) {
  const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  ok_ = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  if (ok_) return;
  if (!result) {
    error_ = "no answer from the server (out of memory or connection lost)";
    return;
  }
  error_ = PQresultErrorMessage(result);
  while (!error_.empty() && (error_.back() == '\n' || error_.back() == ' ')) error_.pop_back();
  if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE)) sqlstate_ = state;
}

PgResult PgResult::failed(std::string message, std::string sqlstate) {
  PgResult result;
  result.error_ = std::move(message);
  result.sqlstate_ = std::move(sqlstate);
  return result;
}

PgResult::PgResult(PgResult&& other) noexcept
    : result_(other.result_),
      ok_(other.ok_),
      error_(std::move(other.error_)),
      sqlstate_(std::move(other.sqlstate_)) {
  other.result_ = nullptr;
}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    if (result_) PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
    ok_ = other.ok_;
    error_ = std::move(other.error_);
    sqlstate_ = std::move(other.sqlstate_);
  }
  return *this;
}

PgResult::~PgResult() {
  if (result_) PQclear(result_);
}

int PgResult::rows() const { return ok_ ? PQntuples(result_) : 0; }

bool PgResult::is_null(int row, int column) const {
  return !ok_ || row >= rows() || column >= PQnfields(result_) || PQgetisnull(result_, row, column);
}

std::string PgResult::text(int row, int column) const {
  if (is_null(row, column)) return {};
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

std::optional<std::int64_t> PgResult::integer(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  const char* value = PQgetvalue(result_, row, column);
  const char* end = value + PQgetlength(result_, row, column);
  std::int64_t number = 0;
  const auto [stop, problem] = std::from_chars(value, end, number);
  if (problem != std::errc() || stop != end) return std::nullopt;
  return number;
}

std::int64_t PgResult::affected() const {
  if (!ok_) return 0;
  const char* count = PQcmdTuples(result_);
  std::int64_t number = 0;
  std::from_chars(count, count + std::char_traits<char>::length(count), number);
  return number;
}

std::string PgResult::command() const { return result_ ? PQcmdStatus(result_) : ""; }

namespace {
void ignore_notice(void*, const char*) {}
}  // namespace

std::unique_ptr<PgConnection> PgConnection::open(const std::string& url, std::string& error) {
  // A database host that doesn't answer (rather than refusing) must not hold a server thread
  // for the kernel's connect timeout of minutes: 5 s, unless the URL says otherwise (it is
  // expanded after, so its own connect_timeout wins).
  const char* keywords[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {"5", url.c_str(), nullptr};
  pg_conn* connection = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (!connection) {
    error = "PostgreSQL: out of memory";
    return nullptr;
  }
  if (PQstatus(connection) != CONNECTION_OK) {
    error = PQerrorMessage(connection);
    while (!error.empty() && error.back() == '\n') error.pop_back();
    PQfinish(connection);
    return nullptr;
  }
  PQsetNoticeProcessor(connection, ignore_notice, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(connection));
}

PgConnection::~PgConnection() { PQfinish(connection_); }

PgResult PgConnection::exec(const char* sql, const PgParams& params) {
  std::vector<const char*> values(params.size());
  for (std::size_t index = 0; index < params.size(); ++index) {
    values[index] = params[index] ? params[index]->c_str() : nullptr;
  }
  return PgResult(PQexecParams(connection_, sql, static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0));
}

PgResult PgConnection::exec_script(const char* sql) { return PgResult(PQexec(connection_, sql)); }

bool PgConnection::alive() const { return PQstatus(connection_) == CONNECTION_OK; }

std::string PgConnection::error_message() const {
  std::string message = PQerrorMessage(connection_);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  return message;
}

bool PgConnection::reconnect() {
  PQreset(connection_);
  return alive();
}

PgTransaction::PgTransaction(PgConnection& connection, Isolation isolation)
    : connection_(connection) {
  const char* begin = isolation == Isolation::serializable ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                      : isolation == Isolation::repeatable_read
                          ? "BEGIN ISOLATION LEVEL REPEATABLE READ"
                          : "BEGIN";
  begun_ = connection_.exec(begin).ok();
}

bool PgConnection::in_transaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(connection_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

PgTransaction::~PgTransaction() {
  if (begun_ && !finished_) connection_.exec("ROLLBACK");
}

PgResult PgTransaction::commit() {
  finished_ = true;
  PgResult answer = connection_.exec("COMMIT");
  if (answer.ok() && answer.command() == "ROLLBACK") {
    return PgResult::failed("a statement of the transaction failed: it was rolled back", "25P02");
  }
  return answer;
}

}  // namespace loyalty::server
