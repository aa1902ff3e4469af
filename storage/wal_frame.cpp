#include "storage/wal_frame.hpp"

#include <zlib.h>

namespace roster::storage {
namespace {

constexpr std::size_t frame_header_size = 8;
// Larger than any group commit the writer makes; a size beyond it is garbage.
constexpr std::uint32_t max_body_size = std::uint32_t{1} << 30;

void put_u32(std::string& out, std::uint32_t x) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((x >> (8 * i)) & 0xff));
}

void put_u64(std::string& out, std::uint64_t x) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((x >> (8 * i)) & 0xff));
}

void set_u32(std::string& out, std::size_t at, std::uint32_t x) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>((x >> (8 * i)) & 0xff);
}

std::uint32_t checksum(std::string_view bytes) {
  return static_cast<std::uint32_t>(
      crc32(crc32(0, nullptr, 0), reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

// Reads fixed-size integers and sized strings from a body whose checksum
// already matched; every read still checks the bounds, so a frame written by
// a different version cannot make recovery read past its end.
class body_reader {
 public:
  explicit body_reader(std::string_view body) : rest_(body) {}

  bool u8(std::uint8_t& x) {
    if (rest_.empty()) return false;
    x = static_cast<std::uint8_t>(rest_[0]);
    rest_.remove_prefix(1);
    return true;
  }
  template <typename Int>
  bool little_endian(Int& x) {
    if (rest_.size() < sizeof(Int)) return false;
    x = 0;
    for (std::size_t i = 0; i < sizeof(Int); ++i) x |= Int{static_cast<unsigned char>(rest_[i])} << (8 * i);
    rest_.remove_prefix(sizeof(Int));
    return true;
  }
  bool sized(std::string& out) {
    std::uint32_t size = 0;
    if (!little_endian(size) || rest_.size() < size) return false;
    out.assign(rest_.data(), size);
    rest_.remove_prefix(size);
    return true;
  }
  bool done() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

}  // namespace

void encode_frame(std::string& out, std::uint64_t lsn, std::uint64_t high_id,
                  const std::vector<const write_batch*>& batches) {
  auto start = out.size();
  out.append(frame_header_size, '\0');
  put_u64(out, lsn);
  put_u64(out, high_id);
  std::uint32_t count = 0;
  for (auto* batch : batches) count += static_cast<std::uint32_t>(batch->size());
  put_u32(out, count);
  for (auto* batch : batches) {
    for (auto& record : *batch) {
      out.push_back(record.value ? 1 : 0);
      put_u32(out, static_cast<std::uint32_t>(record.key.size()));
      out += record.key;
      if (record.value) {
        put_u32(out, static_cast<std::uint32_t>(record.value->size()));
        out += *record.value;
      }
    }
  }
  auto body_size = out.size() - start - frame_header_size;
  set_u32(out, start, static_cast<std::uint32_t>(body_size));
  set_u32(out, start + 4, checksum(std::string_view(out).substr(start + frame_header_size)));
}

std::size_t frame_size(std::string_view in) {
  if (in.size() < frame_header_size) return 0;
  body_reader header(in.substr(0, frame_header_size));
  std::uint32_t body_size = 0;
  header.little_endian(body_size);
  if (body_size == 0 || body_size > max_body_size) return 0;
  return frame_header_size + body_size;
}

std::optional<wal_frame> decode_frame(std::string_view& in) {
  if (in.size() < frame_header_size) return std::nullopt;
  body_reader header(in.substr(0, frame_header_size));
  std::uint32_t body_size = 0, expected = 0;
  header.little_endian(body_size);
  header.little_endian(expected);
  if (body_size == 0 || body_size > max_body_size || in.size() - frame_header_size < body_size) return std::nullopt;
  auto body = in.substr(frame_header_size, body_size);
  if (checksum(body) != expected) return std::nullopt;

  wal_frame frame;
  body_reader reader(body);
  std::uint32_t count = 0;
  if (!reader.little_endian(frame.lsn) || !reader.little_endian(frame.high_id) || !reader.little_endian(count))
    return std::nullopt;
  frame.records.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint8_t kind = 0;
    record_write record;
    if (!reader.u8(kind) || kind > 1 || !reader.sized(record.key)) return std::nullopt;
    if (kind == 1) {
      record.value.emplace();
      if (!reader.sized(*record.value)) return std::nullopt;
    }
    frame.records.push_back(std::move(record));
  }
  if (!reader.done()) return std::nullopt;
  in.remove_prefix(frame_header_size + body_size);
  return frame;
}

}  // namespace roster::storage
