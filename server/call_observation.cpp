#include "server/call_observation.hpp"

#include <capnp/dynamic.h>
#include <capnp/schema.h>

#include <array>
#include <vector>

#include "roster/schema/roster.capnp.h"

namespace roster::server {
namespace {

// Where a method's results say how it ended: the results' field holding a
// result union, that union's `error` member and the Error's `code`.
struct result_fields {
  capnp::StructSchema results;
  capnp::StructSchema::Field result;
  capnp::StructSchema::Field error;
  capnp::StructSchema::Field code;
};

kj::Maybe<result_fields> find_result_fields(capnp::InterfaceSchema::Method method) {
  auto results = method.getResultType();
  for (auto field : results.getFields()) {
    auto type = field.getType();
    if (!type.isStruct()) continue;
    auto result = type.asStruct();
    KJ_IF_MAYBE (error, result.findFieldByName("error")) {
      if (!error->getType().isStruct()) continue;
      KJ_IF_MAYBE (code, error->getType().asStruct().findFieldByName("code")) {
        return result_fields{results, field, *error, *code};
      }
    }
  }
  return nullptr;
}

std::vector<kj::Maybe<result_fields>> methods_of(capnp::InterfaceSchema schema) {
  std::vector<kj::Maybe<result_fields>> found;
  for (auto method : schema.getMethods()) found.push_back(find_result_fields(method));
  return found;
}

// Read once, at the first call: the schemas are compiled in.
const std::array<std::vector<kj::Maybe<result_fields>>, rpc_interface_count>& every_interface() {
  static const std::array<std::vector<kj::Maybe<result_fields>>, rpc_interface_count> table = {
      methods_of(capnp::Schema::from<wire::Bootstrap>()),
      methods_of(capnp::Schema::from<wire::Service>()),
      methods_of(capnp::Schema::from<wire::Session>()),
  };
  return table;
}

}  // namespace

call_outcome outcome_of(rpc_interface on, std::uint16_t method, any_call_context& context) {
  auto& methods = every_interface()[static_cast<std::size_t>(on)];
  if (method >= methods.size()) return call_succeeded;
  KJ_IF_MAYBE (fields, methods[method]) {
    auto results = context.getResults().asReader().getAs<capnp::DynamicStruct>(fields->results);
    if (!results.has(fields->result)) return call_succeeded;
    auto result = results.get(fields->result).as<capnp::DynamicStruct>();
    KJ_IF_MAYBE (member, result.which()) {
      if (*member == fields->error)
        return static_cast<call_outcome>(
            result.get(fields->error).as<capnp::DynamicStruct>().get(fields->code).as<capnp::DynamicEnum>().getRaw());
    }
  }
  return call_succeeded;
}

}  // namespace roster::server
