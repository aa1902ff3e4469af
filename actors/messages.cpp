#include "actors/messages.hpp"

namespace roster::actors {

failure to_failure(const caf::error& e) {
  if (!e) return failure{ErrorCode::unavailable, "the server answered an empty error"};
  if (e.category() == caf::atom("roster")) {
    std::string message;
    if (e.context().match_elements<std::string>()) message = e.context().get_as<std::string>(0);
    return failure{static_cast<ErrorCode>(e.code() - 1), std::move(message)};
  }
  if (e == caf::sec::request_timeout) return failure{ErrorCode::unavailable, "the server did not answer in time"};
  // CAF's own errors (an actor gone, a message it does not take): named, so
  // that a log or a test says which.
  return failure{ErrorCode::unavailable, "the server could not complete the call (" + caf::to_string(e) + ")"};
}

}  // namespace roster::actors
