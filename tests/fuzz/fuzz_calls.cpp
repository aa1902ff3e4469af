// libFuzzer: one schema method called with arbitrary parameters, as a peer
// holding an admin token could (the session acts as the service, with a
// platform admin's rights). The input is a method selector (2 bytes, little
// endian, an index into call_targets()) then a Cap'n Proto message in flat
// form whose root becomes the call's parameters. ROSTER_FUZZ_METHOD=
// Interface.method pins the method (the selector is then ignored): one
// target per schema method, sharing one binary and one seed corpus. Beyond
// crashes and hangs, a finding is an answer holding text that is not UTF-8:
// every text field, whatever bytes it was sent, must leave listings and
// refusals readable by every client.
//
// ROSTER_FUZZ_WRITE_SEEDS=DIR writes one seed per method, its parameters
// filled with plausible values (tests/fuzz/corpus/calls holds them).
// ROSTER_FUZZ_PRINT=1 prints each call as it is sent, to read a finding.
#include <capnp/dynamic.h>
#include <capnp/serialize.h>
#include <kj/debug.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz_server.hpp"
#include "roster/schema/roster.capnp.h"
#include "roster/utf8.hpp"

namespace roster::fuzz {
namespace {

enum class capability { bootstrap, service, session };

struct call_target {
  capability on;
  capnp::InterfaceSchema::Method method;
  std::string name;  // Interface.method
};

std::vector<call_target> make_call_targets() {
  std::vector<call_target> targets;
  auto add = [&](capability on, capnp::InterfaceSchema schema, const char* interface) {
    for (auto method : schema.getMethods()) {
      std::string name = std::string(interface) + "." + method.getProto().getName().cStr();
      // A backup writes a copy of the data wherever it is told: no place for
      // random paths (tests/e2e/test_backup.cpp covers it).
      if (name == "Service.backup") continue;
      targets.push_back(call_target{on, method, name});
    }
  };
  add(capability::bootstrap, capnp::Schema::from<wire::Bootstrap>(), "Bootstrap");
  add(capability::service, capnp::Schema::from<wire::Service>(), "Service");
  add(capability::session, capnp::Schema::from<wire::Session>(), "Session");
  return targets;
}

const std::vector<call_target>& call_targets() {
  static const auto targets = make_call_targets();
  return targets;
}

const call_target* pinned = nullptr;
bool print_calls = false;

// ---- seeds: parameters with values the server could accept

std::string sample_text(const std::string& field) {
  if (field.find("mail") != std::string::npos || field == "invitee") return "bob@example.org";
  if (field == "username" || field == "name") return "alice";
  if (field == "action") return "view_outputs";
  if (field == "schema") return "simple";
  if (field == "token") return admin_token;
  if (field == "level") return "view";
  return "x";
}

void fill(capnp::DynamicStruct::Builder s, int depth);

void fill_list(capnp::DynamicList::Builder list, const std::string& field, int depth) {
  auto element = list.getSchema().getElementType();
  for (unsigned i = 0; i < list.size(); ++i) {
    switch (element.which()) {
      case capnp::schema::Type::STRUCT:
        fill(list[i].as<capnp::DynamicStruct>(), depth + 1);
        break;
      case capnp::schema::Type::TEXT:
        list.set(i, capnp::Text::Reader(sample_text(field).c_str()));
        break;
      case capnp::schema::Type::UINT64:
        list.set(i, static_cast<std::uint64_t>(i + 1));
        break;
      default:
        break;
    }
  }
}

void fill_field(capnp::DynamicStruct::Builder s, capnp::StructSchema::Field field, int depth) {
  std::string name = field.getProto().getName().cStr();
  auto type = field.getType();
  switch (type.which()) {
    case capnp::schema::Type::BOOL:
      s.set(field, true);
      break;
    case capnp::schema::Type::UINT32:
      s.set(field, 10u);
      break;
    case capnp::schema::Type::UINT64:
      s.set(field, std::uint64_t{1});
      break;
    case capnp::schema::Type::INT64:
      s.set(field, std::int64_t{1});
      break;
    case capnp::schema::Type::TEXT:
      s.set(field, capnp::Text::Reader(sample_text(name).c_str()));
      break;
    case capnp::schema::Type::STRUCT:
      if (depth < 4) fill(s.init(field).as<capnp::DynamicStruct>(), depth + 1);
      break;
    case capnp::schema::Type::LIST:
      if (depth < 4) fill_list(s.init(field, 1).as<capnp::DynamicList>(), name, depth);
      break;
    default:
      break;  // enums keep their first value
  }
}

void fill(capnp::DynamicStruct::Builder s, int depth) {
  auto schema = s.getSchema();
  for (auto field : schema.getNonUnionFields()) fill_field(s, field, depth);
  auto alternatives = schema.getUnionFields();
  if (alternatives.size() > 0) fill_field(s, alternatives[0], depth);
}

void write_seeds(const std::string& dir) {
  const auto& targets = call_targets();
  for (std::size_t i = 0; i < targets.size(); ++i) {
    capnp::MallocMessageBuilder message;
    fill(message.initRoot<capnp::DynamicStruct>(targets[i].method.getParamType()), 0);
    auto words = capnp::messageToFlatArray(message);
    auto bytes = words.asBytes();
    std::ofstream out(dir + "/" + targets[i].name, std::ios::binary);
    char selector[2] = {static_cast<char>(i & 0xff), static_cast<char>(i >> 8)};
    out.write(selector, 2);
    out.write(reinterpret_cast<const char*>(bytes.begin()), static_cast<std::streamsize>(bytes.size()));
  }
}

// ---- what every answer must hold

bool well_formed(capnp::Text::Reader text) {
  std::string_view bytes(text.cStr(), text.size());
  for (std::size_t at = 0; at < bytes.size();)
    if (!utf8::decode(bytes, &at)) return false;
  return true;
}

void check_texts(capnp::DynamicStruct::Reader s, const std::string& where, int depth);

void check_value(capnp::DynamicValue::Reader value, const std::string& where, int depth) {
  switch (value.getType()) {
    case capnp::DynamicValue::TEXT:
      // Whatever a caller sent, no answer carries text a client cannot
      // decode: stored names are checked on the way in, and a refusal's
      // sentence is repaired on the way out.
      if (!well_formed(value.as<capnp::Text>())) {
        std::fprintf(stderr, "%s answered text that is not UTF-8\n", where.c_str());
        std::abort();
      }
      break;
    case capnp::DynamicValue::STRUCT:
      if (depth < 8) check_texts(value.as<capnp::DynamicStruct>(), where, depth + 1);
      break;
    case capnp::DynamicValue::LIST:
      if (depth < 8)
        for (auto element : value.as<capnp::DynamicList>()) check_value(element, where, depth + 1);
      break;
    default:
      break;
  }
}

void check_texts(capnp::DynamicStruct::Reader s, const std::string& where, int depth) {
  for (auto field : s.getSchema().getFields())
    if (s.has(field)) check_value(s.get(field), where + "." + field.getProto().getName().cStr(), depth);
}

// ---- the call

capnp::Capability::Client target_of(capability on) {
  auto& server = fuzz_server::instance();
  switch (on) {
    case capability::bootstrap:
      return server.bootstrap();
    case capability::service:
      return server.service();
    case capability::session:
      return server.session();
  }
  KJ_UNREACHABLE;
}

void call(const call_target& target, const std::uint8_t* data, std::size_t size) {
  // The flat message, word-aligned; a trailing partial word is dropped.
  kj::Array<capnp::word> words = kj::heapArray<capnp::word>(size / sizeof(capnp::word));
  std::memcpy(words.begin(), data, words.size() * sizeof(capnp::word));
  capnp::ReaderOptions limits;
  limits.traversalLimitInWords = 1 << 16;
  limits.nestingLimit = 16;

  auto& server = fuzz_server::instance();
  auto request = target_of(target.on).typelessRequest(target.method.getContainingInterface().getProto().getId(),
                                                      target.method.getOrdinal(), nullptr);
  // A message the library itself cannot read never leaves the client.
  if (kj::runCatchingExceptions([&]() {
        capnp::FlatArrayMessageReader reader(words, limits);
        request.set(reader.getRoot<capnp::AnyPointer>());
        if (print_calls)
          std::fprintf(stderr, "%s%s\n", target.name.c_str(),
                       kj::str(reader.getRoot<capnp::DynamicStruct>(target.method.getParamType())).cStr());
      }) != nullptr)
    return;
  bool disconnected = false;
  auto results = target.method.getResultType();
  auto answered = request.send().then(
      [&target, results](capnp::Response<capnp::AnyPointer>&& response) {
        check_texts(response.getAs<capnp::DynamicStruct>(results), target.name, 0);
      },
      [&disconnected](kj::Exception&& e) { disconnected = e.getType() == kj::Exception::Type::DISCONNECTED; });
  bool hung = false;
  answered.exclusiveJoin(server.timer().afterDelay(20 * kj::SECONDS).then([&hung]() { hung = true; }))
      .wait(server.io().waitScope);
  // The server answers every call within its request timeout (2 s here).
  if (hung) {
    std::fprintf(stderr, "%s was not answered in 20 s\n", target.name.c_str());
    std::abort();
  }
  if (disconnected) server.drop_client();
}

}  // namespace
}  // namespace roster::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  using namespace roster::fuzz;
  if (const char* dir = std::getenv("ROSTER_FUZZ_WRITE_SEEDS")) {
    write_seeds(dir);
    std::exit(0);
  }
  print_calls = std::getenv("ROSTER_FUZZ_PRINT") != nullptr;
  if (const char* name = std::getenv("ROSTER_FUZZ_METHOD"); name != nullptr && *name != 0) {
    for (const auto& target : call_targets())
      if (target.name == name) pinned = &target;
    if (pinned == nullptr) {
      std::fprintf(stderr, "ROSTER_FUZZ_METHOD=%s: no such method; one of:\n", name);
      for (const auto& target : call_targets()) std::fprintf(stderr, "  %s\n", target.name.c_str());
      std::exit(2);
    }
  }
  fuzz_server::instance().populate();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace roster::fuzz;
  if (size < 2) return 0;
  const auto& targets = call_targets();
  const auto* target = pinned ? pinned : &targets[(data[0] | (data[1] << 8)) % targets.size()];
  call(*target, data + 2, size - 2);
  return 0;
}
