// Opens an embedded Roster on DATA_DIR and asks a check about a project that
// does not exist: exits 0 when it answers not_found, as documented.
#include <roster/embedded_server.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  auto server = roster::EmbeddedServer::open({argv[1], "", ""});
  if (!server) {
    std::printf("open: %s\n", server.error().message.c_str());
    return 1;
  }
  auto answer = (*server)->check(1, 2, "view");
  if (answer.ok()) return 1;
  std::printf("check: %s\n", std::string(roster::to_string(answer.error().code)).c_str());
  return answer.error().code == roster::ErrorCode::not_found ? 0 : 1;
}
