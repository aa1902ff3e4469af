#include "storage/write_ahead_log.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>

#include "storage/disk_faults.hpp"

namespace roster::storage {
namespace {

namespace fs = std::filesystem;

std::string segment_name(std::uint64_t first_lsn) {
  char name[32];
  std::snprintf(name, sizeof name, "wal-%016" PRIx64 ".log", first_lsn);
  return name;
}

std::optional<std::uint64_t> first_lsn_of(const std::string& file_name) {
  std::uint64_t lsn = 0;
  char tail = 0;
  if (file_name.size() != 24 || std::sscanf(file_name.c_str(), "wal-%16" SCNx64 ".lo%c", &lsn, &tail) != 2 ||
      tail != 'g')
    return std::nullopt;
  return lsn;
}

struct found_segment {
  std::uint64_t first_lsn;
  fs::path path;
};

std::vector<found_segment> segments_in(const std::string& directory) {
  std::vector<found_segment> found;
  std::error_code ec;
  for (auto& entry : fs::directory_iterator(directory, ec)) {
    if (auto lsn = first_lsn_of(entry.path().filename().string())) found.push_back({*lsn, entry.path()});
  }
  std::sort(found.begin(), found.end(), [](auto& a, auto& b) { return a.first_lsn < b.first_lsn; });
  return found;
}

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

// A segment mapped read-only: replay reads only the pages up to the end of
// the log, not the zeros allocated past it.
class mapped_file {
 public:
  explicit mapped_file(const fs::path& path) {
    unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw wal_error(errno_text("cannot read " + path.string()));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) throw wal_error(errno_text("cannot read " + path.string()));
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
      void* at = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd.get(), 0);
      if (at == MAP_FAILED) throw wal_error(errno_text("cannot map " + path.string()));
      data_ = static_cast<const char*>(at);
    }
  }
  ~mapped_file() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
  }
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;

  std::string_view bytes() const { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

// A new directory entry is durable only once the directory itself is synced.
std::optional<std::string> sync_directory(const std::string& directory) {
  unique_fd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return errno_text("open log directory");
  if (::fsync(fd.get()) != 0) return errno_text("fsync log directory");
  return std::nullopt;
}

}  // namespace

std::uint64_t write_ahead_log::replay(const std::string& directory, std::uint64_t applied_lsn,
                                      const std::function<void(wal_frame&&)>& apply) {
  auto segments = segments_in(directory);
  std::uint64_t next_expected = applied_lsn + 1;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    // A segment ends where the next begins: frames past that point were
    // written before a failure and never acknowledged.
    auto limit = i + 1 < segments.size() ? segments[i + 1].first_lsn : UINT64_MAX;
    if (limit <= next_expected) continue;  // kept for watchers, all in LMDB
    std::size_t file_bytes = 0, frame_bytes = 0;
    {
      mapped_file segment(segments[i].path);
      auto rest = segment.bytes();
      file_bytes = rest.size();
      for (auto lsn = segments[i].first_lsn; lsn < limit; ++lsn) {
        auto frame = decode_frame(rest);
        if (!frame || frame->lsn != lsn) break;  // the torn or unwritten tail
        frame_bytes = file_bytes - rest.size();
        if (lsn < next_expected) continue;  // already in LMDB
        if (lsn > next_expected)
          throw wal_error("the write-ahead log in " + directory + " misses frames " + std::to_string(next_expected) +
                          " to " + std::to_string(lsn - 1) + ": acknowledged changes were lost");
        apply(std::move(*frame));
        ++next_expected;
      }
    }
    // What follows the last frame (a crash's torn write, the zeros allocated
    // ahead, a failed append's bytes) is never read: the segment, kept for
    // watchers, gives it back. Should this not last, it is read as before.
    if (file_bytes > frame_bytes) {
      std::error_code ec;
      fs::resize_file(segments[i].path, frame_bytes, ec);
    }
  }
  return next_expected - 1;
}

write_ahead_log::write_ahead_log(std::string directory, std::uint64_t next_lsn, std::size_t segment_bytes,
                                 const disk_faults* faults, std::size_t kept_bytes, std::shared_ptr<log_window> window)
    : directory_(std::move(directory)),
      segment_bytes_(segment_bytes),
      faults_(faults),
      next_lsn_(next_lsn),
      kept_bytes_(kept_bytes),
      window_(window ? std::move(window) : std::make_shared<log_window>()) {
  keep_existing_segments();
  if (auto failed = start_segment()) throw wal_error("cannot start the write-ahead log: " + *failed);
}

// The segments before `next_lsn_` hold frames replayed already: they stay,
// finished, for watchers. One at or past it holds nothing acknowledged (a
// first frame that failed or was torn), and the new segment replaces it.
void write_ahead_log::keep_existing_segments() {
  auto found = segments_in(directory_);
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (found[i].first_lsn >= next_lsn_) {
      std::error_code ec;
      fs::remove(found[i].path, ec);
      continue;
    }
    auto end = i + 1 < found.size() ? std::min(found[i + 1].first_lsn, next_lsn_) : next_lsn_;
    std::error_code ec;
    auto bytes = fs::file_size(found[i].path, ec);
    finished_.push_back(segment{found[i].path.string(), found[i].first_lsn, end - 1, ec ? 0 : bytes});
    finished_bytes_ += finished_.back().bytes;
    window_->add({found[i].first_lsn, found[i].path.string()});
  }
}

// The open segment gives back its allocated tail, so that a kept segment
// takes on disk what it holds.
write_ahead_log::~write_ahead_log() {
  if (fd_) finish_segment();
}

std::optional<std::string> write_ahead_log::start_segment() {
  current_ = segment{(fs::path(directory_) / segment_name(next_lsn_)).string(), next_lsn_, next_lsn_ - 1, 0};
  // O_TRUNC: a segment of this name can only be one whose first frame failed.
  unique_fd fd(::open(current_.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!fd) return errno_text("create log segment");
  // Allocated up front, the segment's blocks are not allocated one append at
  // a time, and an fdatasync has less to write: 0.26 ms against 0.33 ms on
  // this machine's disk (bench/RESULTS.md). The tail reads as zeros, which
  // replay takes as the end of the log. Where the file system cannot
  // allocate ahead, appends grow the file as before.
  [[maybe_unused]] auto allocated = ::posix_fallocate(fd.get(), 0, static_cast<off_t>(segment_bytes_));
  if (auto failed = sync_directory(directory_)) return failed;
  fd_ = std::move(fd);
  written_ = 0;
  // Listed before any of its frames is durable: a reader that sees a frame
  // durable finds the segment it is in.
  window_->add({current_.first_lsn, current_.path});
  return std::nullopt;
}

void write_ahead_log::finish_segment() {
  if (current_.last_lsn >= current_.first_lsn) {
    current_.bytes = written_;
    finished_.push_back(current_);
    finished_bytes_ += written_;
    // Give back the allocated tail; if this does not last, the tail is
    // zeros, which end the segment all the same.
    [[maybe_unused]] auto ignored = ::ftruncate(fd_.get(), static_cast<off_t>(written_));
  } else {
    // Its first frame failed, so it holds nothing acknowledged: empty it now
    // (the next segment takes its name and truncates it again).
    [[maybe_unused]] auto ignored = ::ftruncate(fd_.get(), 0);
  }
  fd_.reset();
}

std::optional<std::string> write_ahead_log::append(const std::string& frame) {
  if (fd_ && written_ >= segment_bytes_) finish_segment();
  if (!fd_) {
    if (auto failed = start_segment()) return failed;
  }
  std::size_t done = 0;
  std::optional<std::string> failed;
  while (done < frame.size()) {
    if (faults_ && faults_->log_write_errno.load() != 0) {
      errno = faults_->log_write_errno.load();
      failed = errno_text("write log");
      break;
    }
    auto n = ::pwrite(fd_.get(), frame.data() + done, frame.size() - done, static_cast<off_t>(written_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      failed = errno_text("write log");
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (!failed && faults_ && faults_->sync_delay_ms.load() > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(faults_->sync_delay_ms.load()));
  if (!failed && ::fdatasync(fd_.get()) != 0) failed = errno_text("fdatasync log");
  if (failed) {
    // What reached the disk of this frame is unknown (a failed fdatasync may
    // even have dropped the pages): nothing more goes into this segment.
    finish_segment();
    return failed;
  }
  written_ += frame.size();
  current_.last_lsn = next_lsn_++;
  return std::nullopt;
}

void write_ahead_log::release_through(std::uint64_t applied_lsn) {
  while (!finished_.empty() && finished_bytes_ > kept_bytes_ && finished_.front().last_lsn <= applied_lsn) {
    // Out of the window first: a reader that has not opened it yet learns
    // the changes are gone rather than finding the file missing.
    window_->remove_oldest();
    std::error_code ec;
    fs::remove(finished_.front().path, ec);
    finished_bytes_ -= finished_.front().bytes;
    finished_.erase(finished_.begin());
  }
}

}  // namespace roster::storage
