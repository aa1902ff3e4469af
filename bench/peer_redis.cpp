// Redis as a two-call peer: each call one Lua script (EVALSHA), durable with
// appendfsync always, as the server bench/compare starts is configured.
#include <hiredis/hiredis.h>

#include <cstdlib>
#include <string>

#include "peer_store.hpp"

namespace roster::bench {
namespace {

const char* const invite_script = R"lua(
local t, u = ARGV[1], ARGV[2]
if redis.call("SISMEMBER", "m:" .. u, t) == 1 then return redis.error_reply("already_member") end
if redis.call("EXISTS", "pi:" .. t .. ":" .. u) == 1 then return redis.error_reply("already_invited") end
local id = redis.call("INCR", "inv:seq")
redis.call("HSET", "inv:" .. id, "team", t, "invitee", u, "status", 0)
redis.call("SET", "pi:" .. t .. ":" .. u, id)
return id
)lua";

const char* const accept_script = R"lua(
local id, u = ARGV[1], ARGV[2]
local inv = redis.call("HMGET", "inv:" .. id, "team", "invitee", "status")
if not inv[1] then return redis.error_reply("not_found") end
if inv[2] ~= u then return redis.error_reply("permission_denied") end
if inv[3] ~= "0" then return redis.error_reply("invitation not pending") end
if redis.call("SISMEMBER", "m:" .. u, inv[1]) == 1 then return redis.error_reply("already_member") end
redis.call("HSET", "inv:" .. id, "status", 1)
redis.call("DEL", "pi:" .. inv[1] .. ":" .. u)
redis.call("SADD", "m:" .. u, inv[1])
return 1
)lua";

[[noreturn]] void fail(const std::string& what) { peer_failed("redis", what); }

using reply_ptr = std::unique_ptr<redisReply, c_free<freeReplyObject>>;
using context_ptr = std::unique_ptr<redisContext, c_free<redisFree>>;

context_ptr connect_to(const std::string& address) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos) fail("--peer-address must be HOST:PORT");
  context_ptr c(redisConnect(address.substr(0, colon).c_str(), std::atoi(address.c_str() + colon + 1)));
  if (!c || c->err) fail("cannot connect to " + address + (c ? ": " + std::string(c->errstr) : ""));
  return c;
}

reply_ptr next_reply(redisContext* c) {
  void* r = nullptr;
  if (redisGetReply(c, &r) != REDIS_OK) fail(std::string("connection lost: ") + c->errstr);
  return reply_ptr(static_cast<redisReply*>(r));
}

std::string load_script(redisContext* c, const char* script) {
  reply_ptr r(static_cast<redisReply*>(redisCommand(c, "SCRIPT LOAD %s", script)));
  if (!r || r->type != REDIS_REPLY_STRING) fail("SCRIPT LOAD failed");
  return r->str;
}

class redis_connection final : public peer_connection {
 public:
  explicit redis_connection(const std::string& address)
      : c_(connect_to(address)),
        invite_(load_script(c_.get(), invite_script)),
        accept_(load_script(c_.get(), accept_script)) {}

  void send_invite(std::uint64_t team, std::uint64_t user) override {
    redisAppendCommand(c_.get(), "EVALSHA %s 0 %llu %llu", invite_.c_str(), static_cast<unsigned long long>(team),
                       static_cast<unsigned long long>(user));
  }
  void send_accept(std::int64_t invitation, std::uint64_t user) override {
    redisAppendCommand(c_.get(), "EVALSHA %s 0 %lld %llu", accept_.c_str(), static_cast<long long>(invitation),
                       static_cast<unsigned long long>(user));
  }
  // redisGetReply first writes every call appended so far.
  answer next_answer() override {
    auto r = next_reply(c_.get());
    if (r->type == REDIS_REPLY_ERROR) return {0, r->str};
    if (r->type != REDIS_REPLY_INTEGER) return {0, "unexpected reply type"};
    return {r->integer, {}};
  }

 private:
  context_ptr c_;
  std::string invite_, accept_;
};

}  // namespace

peer_store redis_store(const std::string& address) {
  peer_store store;
  store.load = [address](unsigned users) {
    auto c = connect_to(address);
    reply_ptr flushed(static_cast<redisReply*>(redisCommand(c.get(), "FLUSHALL")));
    unsigned calls = 0;
    for (std::uint64_t t = 1; t <= users / 10; ++t)
      for (unsigned k = 0; k < 10; ++k, ++calls)
        redisAppendCommand(c.get(), "SADD m:%llu %llu", static_cast<unsigned long long>(peer_member(t, k, users)),
                           static_cast<unsigned long long>(t));
    for (unsigned i = 0; i < calls; ++i)
      if (next_reply(c.get())->type == REDIS_REPLY_ERROR) fail("loading the memberships failed");
  };
  store.connect = [address]() -> std::unique_ptr<peer_connection> {
    return std::make_unique<redis_connection>(address);
  };
  return store;
}

}  // namespace roster::bench
