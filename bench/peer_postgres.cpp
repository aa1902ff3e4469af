// PostgreSQL as a two-call peer: each call one prepared statement calling a
// PL/pgSQL function, in its own transaction (synchronous_commit on, as the
// cluster bench/compare starts is configured), pipelined through libpq's
// pipeline mode with a sync point after every call.
#include <libpq-fe.h>

#include <cstdlib>
#include <string>

#include "peer_store.hpp"

namespace roster::bench {
namespace {

const char* const schema_sql = R"sql(
DROP TABLE IF EXISTS invitations, members;
CREATE TABLE members(team bigint, usr bigint, flags smallint, PRIMARY KEY(team, usr));
CREATE INDEX members_by_user ON members(usr);
CREATE TABLE invitations(id bigserial PRIMARY KEY, team bigint NOT NULL, invitee bigint NOT NULL,
  status smallint NOT NULL, created timestamptz DEFAULT now());
CREATE INDEX pending_invitations ON invitations(team, invitee) WHERE status = 0;

CREATE OR REPLACE FUNCTION invite(t bigint, u bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE new_id bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM members WHERE team = t AND usr = u) THEN RAISE EXCEPTION 'already_member'; END IF;
  IF EXISTS (SELECT 1 FROM invitations WHERE team = t AND invitee = u AND status = 0) THEN
    RAISE EXCEPTION 'already_invited';
  END IF;
  INSERT INTO invitations(team, invitee, status) VALUES (t, u, 0) RETURNING id INTO new_id;
  RETURN new_id;
END $$;

CREATE OR REPLACE FUNCTION accept(i bigint, u bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE inv invitations;
BEGIN
  SELECT * INTO inv FROM invitations WHERE id = i FOR UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'not_found'; END IF;
  IF inv.invitee <> u THEN RAISE EXCEPTION 'permission_denied'; END IF;
  IF inv.status <> 0 THEN RAISE EXCEPTION 'invitation not pending'; END IF;
  IF EXISTS (SELECT 1 FROM members WHERE team = inv.team AND usr = u) THEN RAISE EXCEPTION 'already_member'; END IF;
  UPDATE invitations SET status = 1 WHERE id = i;
  INSERT INTO members VALUES (inv.team, u, 3);
  RETURN 1;
END $$;
)sql";

[[noreturn]] void fail(const std::string& what) { peer_failed("postgres", what); }

using connection_ptr = std::unique_ptr<PGconn, c_free<PQfinish>>;
using result_ptr = std::unique_ptr<PGresult, c_free<PQclear>>;

connection_ptr connect_to(const std::string& conninfo) {
  connection_ptr c(PQconnectdb(conninfo.c_str()));
  if (PQstatus(c.get()) != CONNECTION_OK) fail("cannot connect: " + std::string(PQerrorMessage(c.get())));
  return c;
}

void execute(PGconn* c, const std::string& sql) {
  result_ptr r(PQexec(c, sql.c_str()));
  auto status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(PQresultErrorMessage(r.get()));
}

class postgres_connection final : public peer_connection {
 public:
  explicit postgres_connection(const std::string& conninfo) : c_(connect_to(conninfo)) {
    prepare("invite", "SELECT invite($1::bigint, $2::bigint)");
    prepare("accept", "SELECT accept($1::bigint, $2::bigint)");
    if (PQenterPipelineMode(c_.get()) != 1) fail("cannot enter pipeline mode");
  }

  void send_invite(std::uint64_t team, std::uint64_t user) override { send("invite", team, user); }
  void send_accept(std::int64_t invitation, std::uint64_t user) override {
    send("accept", static_cast<std::uint64_t>(invitation), user);
  }

  // A call's result, the null that ends it, then its sync point.
  answer next_answer() override {
    answer a;
    result_ptr r(PQgetResult(c_.get()));
    if (!r) fail("no result: " + std::string(PQerrorMessage(c_.get())));
    if (PQresultStatus(r.get()) == PGRES_TUPLES_OK)
      a.value = std::atoll(PQgetvalue(r.get(), 0, 0));
    else
      a.error = PQresultErrorField(r.get(), PG_DIAG_MESSAGE_PRIMARY)
                    ? PQresultErrorField(r.get(), PG_DIAG_MESSAGE_PRIMARY)
                    : "failed";
    result_ptr end(PQgetResult(c_.get()));
    result_ptr sync(PQgetResult(c_.get()));
    if (end || !sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) fail("the pipeline lost its order");
    return a;
  }

 private:
  void prepare(const char* name, const char* sql) {
    result_ptr r(PQprepare(c_.get(), name, sql, 2, nullptr));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(PQresultErrorMessage(r.get()));
  }
  void send(const char* statement, std::uint64_t a, std::uint64_t b) {
    auto first = std::to_string(a), second = std::to_string(b);
    const char* values[] = {first.c_str(), second.c_str()};
    if (PQsendQueryPrepared(c_.get(), statement, 2, values, nullptr, nullptr, 0) != 1 || PQpipelineSync(c_.get()) != 1)
      fail("cannot send: " + std::string(PQerrorMessage(c_.get())));
  }

  connection_ptr c_;
};

}  // namespace

peer_store postgres_store(const std::string& conninfo) {
  peer_store store;
  store.load = [conninfo](unsigned users) {
    auto c = connect_to(conninfo);
    execute(c.get(), "SET client_min_messages = warning");
    execute(c.get(), schema_sql);
    auto n = std::to_string(users), teams = std::to_string(users / 10);
    execute(c.get(), "INSERT INTO members SELECT t, ((t * 7919 + k * 104729) % " + n +
                         ") + 1, 3 FROM generate_series(1, " + teams +
                         ") t, generate_series(0, 9) k ON CONFLICT DO NOTHING");
    execute(c.get(), "VACUUM ANALYZE members");
  };
  store.connect = [conninfo]() -> std::unique_ptr<peer_connection> {
    return std::make_unique<postgres_connection>(conninfo);
  };
  return store;
}

}  // namespace roster::bench
