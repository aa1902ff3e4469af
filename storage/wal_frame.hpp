// The write-ahead log's unit: one group commit, framed so that recovery can
// tell a complete frame from a torn or stale one.
//
//   frame   := u32 body_size | u32 crc32(body) | body
//   body    := u64 lsn | u64 high_id | u32 record_count | record*
//   record  := u8 kind (0 erase, 1 put) | u32 key_size | key | [u32 value_size | value]
//
// Integers are little-endian. A frame whose checksum does not match ends the
// log: it is the tail of a write that a crash interrupted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/port.hpp"

namespace roster::storage {

struct wal_frame {
  std::uint64_t lsn = 0;      // log sequence number: frames are numbered 1, 2, 3...
  std::uint64_t high_id = 0;  // the id high-water mark once this frame is applied
  write_batch records;
};

// Appends the frame holding every record of `batches`, in order, to `out`.
void encode_frame(std::string& out, std::uint64_t lsn, std::uint64_t high_id,
                  const std::vector<const write_batch*>& batches);

// The bytes of the frame whose header is at the front of `in` (at least
// 8 bytes), header included, or 0 when that cannot be a frame's header.
std::size_t frame_size(std::string_view in);

// Decodes the frame at the front of `in` and advances `in` past it. Returns
// nullopt, leaving `in` alone, when the front is not one whole, intact frame.
std::optional<wal_frame> decode_frame(std::string_view& in);

}  // namespace roster::storage
