// Deterministic fuzzing of the receive path: valid messages of every kind,
// corrupted the ways a hostile or broken peer would (bit flips, inserted and
// deleted bytes, truncation, length headers claiming up to 4 GB, deep
// nesting), must each decode or be refused with ProtocolError — never crash,
// hang, or make the reader allocate beyond what the input justifies. The
// seed is fixed, so a failure reproduces; the iteration is in the message.
// tests/fuzz/codec_fuzz.cpp is the open-ended (libFuzzer) counterpart.

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <new>
#include <set>

#include "codec_messages.h"

namespace pgclone::protocol::fuzz {
namespace {

// This thread's CPU time: what decoding an input costs, however busy the
// machine running the tests is (wall time on a loaded CI machine is not).
struct Clock {
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<Clock, duration>;
  static time_point now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return time_point(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
  }
};

constexpr int kIterations = 100000;
constexpr std::uint64_t kSeed = 20240611;

// SplitMix64: the same sequence on every platform (std::uniform_int_distribution is not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
  template <typename T, std::size_t N>
  const T& pick(const T (&choices)[N]) {
    return choices[below(N)];
  }

 private:
  std::uint64_t state_;
};

void put_be(std::string& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

// msgpack bytes with a meaning: type markers, fix-size boundaries, 0xc1 (never used).
constexpr unsigned char kInteresting[] = {0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2,
                                          0xc3, 0xc4, 0xc6, 0xc9, 0xcc, 0xcf, 0xd3, 0xd4, 0xd8, 0xd9, 0xdb,
                                          0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff};

void flip_bits(std::string& bytes, Rng& rng) {
  if (bytes.empty()) return;
  for (std::size_t n = 1 + rng.below(8); n > 0; --n) bytes[rng.below(bytes.size())] ^= static_cast<char>(1u << rng.below(8));
}

void insert_bytes(std::string& bytes, Rng& rng) {
  std::string inserted;
  for (std::size_t n = 1 + rng.below(8); n > 0; --n) {
    inserted += static_cast<char>(rng.below(2) ? rng.pick(kInteresting) : rng.below(256));
  }
  bytes.insert(rng.below(bytes.size() + 1), inserted);
}

void overwrite_byte(std::string& bytes, Rng& rng) {
  if (!bytes.empty()) bytes[rng.below(bytes.size())] = static_cast<char>(rng.pick(kInteresting));
}

void delete_bytes(std::string& bytes, Rng& rng) {
  if (bytes.empty()) return;
  const std::size_t at = rng.below(bytes.size());
  bytes.erase(at, 1 + rng.below(16));
}

void truncate(std::string& bytes, Rng& rng) { bytes.resize(rng.below(bytes.size() + 1)); }

// A str, bin, ext, array or map header claiming far more than follows:
// written over the bytes at a random place, or inserted there.
void inflate_length(std::string& bytes, Rng& rng) {
  struct Header {
    unsigned char marker;
    int length_bytes;
  };
  static constexpr Header kHeaders[] = {{0xd9, 1}, {0xda, 2}, {0xdb, 4}, {0xc4, 1}, {0xc5, 2}, {0xc6, 4},
                                        {0xc7, 1}, {0xc8, 2}, {0xc9, 4}, {0xdc, 2}, {0xdd, 4}, {0xde, 2},
                                        {0xdf, 4}};
  static constexpr std::uint64_t kLengths[] = {0xffffffffULL, 0xfffffffeULL, 0x80000000ULL, 0x7fffffffULL,
                                               static_cast<std::uint64_t>(kMaxMessageBytes),
                                               static_cast<std::uint64_t>(kMaxMessageBytes) + 1,
                                               100001, 10001, 65535, 256};
  const Header& header = rng.pick(kHeaders);
  const std::uint64_t limit = header.length_bytes == 4 ? 0xffffffffULL : (1ULL << (8 * header.length_bytes)) - 1;
  const std::uint64_t length = (rng.below(4) == 0 ? rng.next() : rng.pick(kLengths)) & limit;
  std::string encoded(1, static_cast<char>(header.marker));
  put_be(encoded, length, header.length_bytes);
  if (header.marker >= 0xc7 && header.marker <= 0xc9) encoded += '\x01';  // ext type
  const std::size_t at = rng.below(bytes.size() + 1);
  if (rng.below(2) && at + encoded.size() <= bytes.size()) {
    bytes.replace(at, encoded.size(), encoded);
  } else {
    bytes.insert(at, encoded);
  }
}

// Arrays and maps nested far past the unpack depth limit.
void nest_deeply(std::string& bytes, Rng& rng) {
  static const std::vector<std::string> kNestings = [] {
    const std::string openers[] = {std::string("\x91"), std::string("\x81\xa1k"), std::string("\xdc\x00\x01", 3),
                                   std::string("\xdd\x00\x00\x00\x01", 5), std::string("\xdf\x00\x00\x00\x01\x01", 6)};
    std::vector<std::string> out;
    for (const std::string& opener : openers) {
      for (std::size_t depth : {17, 64, 1000, 30000}) {
        std::string nested;
        for (std::size_t i = 0; i < depth; ++i) nested += opener;
        out.push_back(std::move(nested));
      }
    }
    return out;
  }();
  bytes.insert(rng.below(bytes.size() + 1), kNestings[rng.below(kNestings.size())]);
}

// A stretch of another message's bytes over this one's.
void splice(std::string& bytes, Rng& rng, const std::vector<Sample>& pool) {
  const std::string& other = pool[rng.below(pool.size())].envelope;
  const std::size_t from = rng.below(other.size());
  const std::string piece = other.substr(from, 1 + rng.below(other.size() - from));
  const std::size_t at = rng.below(bytes.size() + 1);
  bytes.replace(at, rng.below(bytes.size() - at + 1), piece);
}

void mutate(std::string& bytes, Rng& rng, const std::vector<Sample>& pool) {
  for (std::size_t n = 1 + rng.below(4); n > 0; --n) {
    switch (rng.below(9)) {
      case 0: flip_bits(bytes, rng); break;
      case 1: insert_bytes(bytes, rng); break;
      case 2: overwrite_byte(bytes, rng); break;
      case 3: delete_bytes(bytes, rng); break;
      case 4: truncate(bytes, rng); break;
      case 5:
      case 6: inflate_length(bytes, rng); break;
      case 7: nest_deeply(bytes, rng); break;
      default: splice(bytes, rng, pool); break;
    }
  }
}

// A reader that tries to allocate what a length header claims fails here,
// quickly and visibly (as std::bad_alloc), instead of succeeding on a large
// machine. Restored afterwards: the limit would outlive the test otherwise.
class AddressSpaceLimit {
 public:
  explicit AddressSpaceLimit(std::size_t headroom) {
    std::size_t pages = 0;  // the process's size now, in pages
    std::ifstream("/proc/self/statm") >> pages;
    if (pages == 0 || getrlimit(RLIMIT_AS, &saved_) != 0) return;
    rlimit limit = saved_;
    limit.rlim_cur = pages * static_cast<std::size_t>(getpagesize()) + headroom;
    if (saved_.rlim_cur != RLIM_INFINITY && saved_.rlim_cur <= limit.rlim_cur) return;  // tighter already
    changed_ = setrlimit(RLIMIT_AS, &limit) == 0;
  }
  ~AddressSpaceLimit() {
    if (changed_) setrlimit(RLIMIT_AS, &saved_);
  }

 private:
  rlimit saved_{};
  bool changed_ = false;
};

std::string hex_prefix(const std::string& bytes) {
  std::string out;
  char buffer[4];
  for (std::size_t i = 0; i < bytes.size() && i < 48; ++i) {
    std::snprintf(buffer, sizeof buffer, "%02x", static_cast<unsigned char>(bytes[i]));
    out += buffer;
  }
  return out + (bytes.size() > 48 ? "… (" + std::to_string(bytes.size()) + " bytes)" : "");
}

TEST(CodecFuzz, EveryKindHasASample) {
  std::set<int> listed;
  for (const Sample& sample : samples()) {
    EXPECT_STRNE(message_kind_name(sample.kind), "unknown message");
    listed.insert(static_cast<int>(sample.kind));
    // The samples themselves decode, as the kind they are.
    EXPECT_EQ(decode_envelope(sample.envelope).message_kind(), sample.kind);
  }
  // A kind messages.h names but AllMessages lacks would go unfuzzed.
  for (int kind = 0; kind < 256; ++kind) {
    if (std::string(message_kind_name(static_cast<MessageKind>(kind))) != "unknown message") {
      EXPECT_TRUE(listed.count(kind)) << "message kind " << kind << " is missing from AllMessages";
    }
  }
}

TEST(CodecFuzz, MutatedMessagesDecodeOrAreRefused) {
  const std::vector<Sample> pool = samples();
  Rng rng(kSeed);
  const AddressSpaceLimit limit(std::size_t{1} << 30);

  int envelopes_refused = 0, payloads_decoded = 0, failures = 0;
  Clock::duration slowest{};
  const Clock::time_point start = Clock::now();
  for (int i = 0; i < kIterations && failures < 5; ++i) {
    const Sample& sample = pool[static_cast<std::size_t>(i) % pool.size()];
    std::string input;
    if (rng.below(2)) {
      input = sample.envelope;
      mutate(input, rng, pool);
    } else {
      std::string payload = sample.payload;
      mutate(payload, rng, pool);
      input = envelope_around(sample.kind, std::move(payload));
    }
    const Clock::time_point began = Clock::now();
    try {
      const int decoded = decode_every_way(input, [&](const ProtocolError& e) {
        // A limit must refuse oversized claims before anything is allocated for them.
        const std::string what = e.what();
        if (what.find("bad_alloc") != std::string::npos || what.find("length_error") != std::string::npos) {
          ADD_FAILURE() << "iteration " << i << ": refused only by running out of memory: " << what << "\n  input "
                        << hex_prefix(input);
          ++failures;
        }
      });
      envelopes_refused += decoded < 0;
      payloads_decoded += decoded > 0;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "iteration " << i << ": " << e.what() << " escaped the decoder\n  input " << hex_prefix(input);
      ++failures;
    } catch (...) {
      ADD_FAILURE() << "iteration " << i << ": a non-standard exception escaped the decoder\n  input "
                    << hex_prefix(input);
      ++failures;
    }
    slowest = std::max(slowest, Clock::now() - began);
  }
  const auto elapsed = Clock::now() - start;

  EXPECT_LT(slowest, std::chrono::milliseconds(200)) << "one input took too long to decode";
  EXPECT_LT(elapsed, std::chrono::seconds(60));
  // Both outcomes happen often, or the mutations are too mild or too wild to test anything.
  EXPECT_GT(envelopes_refused, kIterations / 10);
  EXPECT_GT(payloads_decoded, kIterations / 50);
  std::printf("[ fuzz ] %d inputs in %.2f s of CPU: %d envelopes refused, %d decoded as some payload type; slowest %.2f ms\n",
              kIterations, std::chrono::duration<double>(elapsed).count(), envelopes_refused, payloads_decoded,
              std::chrono::duration<double, std::milli>(slowest).count());
}

TEST(CodecFuzz, MutatedTagsAreCheckedOrRefused) {
  Rng rng(kSeed + 1);
  const std::vector<Sample> pool = samples();
  for (int i = 0; i < kIterations / 10; ++i) {
    std::string tag = protocol_tag();
    mutate(tag, rng, pool);
    try {
      check_protocol_tag(tag);
    } catch (const ProtocolError&) {
    }
  }
}

}  // namespace
}  // namespace pgclone::protocol::fuzz
