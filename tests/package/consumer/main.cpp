// Connects to ADDRESS with TOKEN and pings; exits 0 when the server answered,
// 3 when the connection was refused with `unavailable` as documented.
#include <roster/client.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  auto client = roster::Client::connect(argv[1], argv[2]);
  if (!client) {
    std::printf("%s: %s\n", std::string(roster::to_string(client.error().code)).c_str(),
                client.error().message.c_str());
    return client.error().code == roster::ErrorCode::unavailable ? 3 : 1;
  }
  return client->ping().ok() ? 0 : 1;
}
