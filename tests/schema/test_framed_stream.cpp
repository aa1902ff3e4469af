// framed_stream over an in-process pipe: frames survive the round trip,
// one loop turn's messages leave in one write, and frames beyond the limits
// or cut short break the connection instead of being believed; a peer that
// reads no answers gets no more of its messages read.
#include <capnp/message.h>
#include <capnp/schema.capnp.h>
#include <kj/async-io.h>

#include <catch2/catch.hpp>

#include "schema/framed_stream.hpp"

namespace {

using roster::framed_stream;

// A message with `segments` segments of `words` words each: the first one
// a Node whose id is `id`, the rest filler text in further segments.
kj::Own<capnp::MallocMessageBuilder> make_message(std::uint64_t id, unsigned text_bytes = 0) {
  auto message = kj::heap<capnp::MallocMessageBuilder>(8, capnp::AllocationStrategy::FIXED_SIZE);
  auto node = message->initRoot<capnp::schema::Node>();
  node.setId(id);
  if (text_bytes) {
    auto text = node.initDisplayName(text_bytes);
    for (unsigned i = 0; i < text_bytes; ++i) text[i] = static_cast<char>('a' + i % 26);
  }
  return message;
}

std::uint64_t id_of(capnp::MessageReader& reader) { return reader.getRoot<capnp::schema::Node>().getId(); }

struct pipe_pair {
  kj::AsyncIoContext io = kj::setupAsyncIo();
  kj::TwoWayPipe pipe = kj::newTwoWayPipe();
};

// Writes raw bytes, as a hostile or broken peer would, then closes the
// stream if `then_close`. The pipe is in memory: the write completes as the
// other end reads, so the promise must be kept while the test reads.
kj::Promise<void> write_raw(pipe_pair& p, std::vector<std::uint32_t> words, bool then_close = false) {
  auto bytes = kj::heapArray<std::uint32_t>(words.data(), words.size());
  auto& end = *p.pipe.ends[0];
  auto written = end.write(bytes.begin(), bytes.size() * sizeof(std::uint32_t)).attach(kj::mv(bytes));
  return written
      .then([&end, then_close]() {
        if (then_close) end.shutdownWrite();
      })
      .eagerlyEvaluate(nullptr);
}

}  // namespace

TEST_CASE("wire: messages of one and of many segments arrive whole and in order", "[wire]") {
  pipe_pair p;
  framed_stream writer(*p.pipe.ends[0]);
  framed_stream reader(*p.pipe.ends[1]);
  auto small = make_message(7);
  auto large = make_message(8, 5000);  // FIXED_SIZE 8-word segments: many segments
  REQUIRE(large->getSegmentsForOutput().size() > 1);
  writer.writeMessage(nullptr, small->getSegmentsForOutput()).wait(p.io.waitScope);
  writer.writeMessage(nullptr, large->getSegmentsForOutput()).wait(p.io.waitScope);

  auto first = reader.readMessage().wait(p.io.waitScope);
  CHECK(id_of(*first) == 7);
  auto second = reader.readMessage().wait(p.io.waitScope);
  CHECK(id_of(*second) == 8);
  auto name = second->getRoot<capnp::schema::Node>().getDisplayName();
  REQUIRE(name.size() == 5000);
  CHECK(name[4999] == static_cast<char>('a' + 4999 % 26));
}

TEST_CASE("wire: the messages of one loop turn leave in one socket write", "[wire]") {
  pipe_pair p;
  framed_stream writer(*p.pipe.ends[0]);
  framed_stream reader(*p.pipe.ends[1]);
  std::vector<kj::Own<capnp::MallocMessageBuilder>> messages;
  std::vector<kj::Promise<void>> sent;
  for (std::uint64_t i = 0; i < 100; ++i) {
    messages.push_back(make_message(i));
    sent.push_back(writer.writeMessage(nullptr, messages.back()->getSegmentsForOutput()));
  }
  // The loop has not turned yet: nothing has reached the socket.
  CHECK(writer.socket_writes() == 0);
  for (std::uint64_t i = 0; i < 100; ++i) CHECK(id_of(*reader.readMessage().wait(p.io.waitScope)) == i);
  for (auto& promise : sent) promise.wait(p.io.waitScope);
  CHECK(writer.socket_writes() == 1);
}

TEST_CASE("wire: a clean end of stream between frames reads as no message", "[wire]") {
  pipe_pair p;
  framed_stream reader(*p.pipe.ends[1]);
  p.pipe.ends[0]->shutdownWrite();
  auto message = reader.tryReadMessage().wait(p.io.waitScope);
  CHECK(message == nullptr);
}

TEST_CASE("wire: a frame cut short breaks the connection", "[wire]") {
  pipe_pair p;
  framed_stream reader(*p.pipe.ends[1]);
  auto writing = write_raw(p, {0, 100, 0, 0}, true);  // one segment of 100 words, 8 bytes of it
  CHECK_THROWS_WITH(reader.readMessage().wait(p.io.waitScope), Catch::Contains("middle of a message"));
}

TEST_CASE("wire: a segment table claiming too many segments is refused before anything is allocated", "[wire]") {
  pipe_pair p;
  framed_stream reader(*p.pipe.ends[1]);
  auto writing = write_raw(p, {0xFFFFFFFFu - 1, 1});
  CHECK_THROWS_WITH(reader.readMessage().wait(p.io.waitScope), Catch::Contains("too many segments"));
}

TEST_CASE("wire: a frame larger than the limit is refused before it is read", "[wire]") {
  pipe_pair p;
  roster::frame_limits limits;
  limits.max_frame_words = 1000;
  framed_stream reader(*p.pipe.ends[1], limits);
  auto writing = write_raw(p, {1, 600, 600, 0});  // two segments, 1,200 words in all
  CHECK_THROWS_WITH(reader.readMessage().wait(p.io.waitScope), Catch::Contains("larger than allowed"));
}

TEST_CASE("wire: a writer whose peer does not read waits once the output limit is reached", "[wire]") {
  pipe_pair p;
  roster::frame_limits limits;
  limits.max_buffered_output = 64 * 1024;
  framed_stream writer(*p.pipe.ends[0], limits);
  auto big = make_message(1, 200 * 1024);
  auto sent = writer.writeMessage(nullptr, big->getSegmentsForOutput());
  // Nobody reads the other end: the write cannot finish.
  CHECK_FALSE(sent.poll(p.io.waitScope));
  framed_stream reader(*p.pipe.ends[1]);
  CHECK(id_of(*reader.readMessage().wait(p.io.waitScope)) == 1);
  sent.wait(p.io.waitScope);
}

TEST_CASE("wire: while a peer leaves its answers unread, none of its further messages is read", "[wire][overload]") {
  pipe_pair p;
  roster::frame_limits limits;
  limits.max_buffered_output = 16 * 1024;
  framed_stream server(*p.pipe.ends[0], limits);
  framed_stream peer(*p.pipe.ends[1]);
  // Answers the peer does not read: the in-memory pipe takes none of them.
  std::vector<kj::Own<capnp::MallocMessageBuilder>> answers;
  std::vector<kj::Promise<void>> answering;
  for (std::uint64_t i = 0; i < 3; ++i) {
    answers.push_back(make_message(100 + i, 10000));
    answering.push_back(server.writeMessage(nullptr, answers.back()->getSegmentsForOutput()));
  }
  auto call = make_message(1);
  auto calling = peer.writeMessage(nullptr, call->getSegmentsForOutput()).eagerlyEvaluate(nullptr);

  auto next_call = server.tryReadMessage();
  CHECK_FALSE(next_call.poll(p.io.waitScope));  // held back: the peer reads nothing

  // Once the peer reads its answers, its call is read.
  for (std::uint64_t i = 0; i < 3; ++i) CHECK(id_of(*peer.readMessage().wait(p.io.waitScope)) == 100 + i);
  auto read = next_call.wait(p.io.waitScope);
  REQUIRE(read != nullptr);
  KJ_IF_MAYBE (message, read) {
    CHECK(id_of(**message) == 1);
  }
}
