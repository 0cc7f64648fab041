// libFuzzer entry point for the receive path (the open-ended counterpart of
// tests/unit/protocol/test_codec_fuzz.cpp, which runs in ctest). Off by
// default; needs clang and libFuzzer (Debian: clang, libclang-rt-14-dev):
//
//   CC=clang CXX=clang++ cmake -S . -B build-fuzz -DPGCLONE_BUILD_FUZZ=ON \
//       -DPGCLONE_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
//   cmake --build build-fuzz -j2 --target codec_fuzz
//
// Run it on a corpus directory, which it first fills with one valid message
// of every kind, with memory caps so that an allocation an input merely
// claims shows up as a failure (decoding a message never needs much):
//
//   mkdir -p /tmp/codec-corpus
//   build-fuzz/tests/fuzz/codec_fuzz -max_total_time=300 -rss_limit_mb=1024 \
//       -malloc_limit_mb=256 -max_len=200000 /tmp/codec-corpus
//
// A crash leaves crash-<sha1> in the working directory; replay it with
// build-fuzz/tests/fuzz/codec_fuzz crash-<sha1>.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "codec_messages.h"

namespace {

// Seeds the first corpus directory on the command line with the valid
// samples (libFuzzer starts from nothing otherwise, and needs long to find
// the envelope's shape).
void write_seeds(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path corpus(argv[i]);
    std::error_code ignored;
    if (argv[i][0] == '-' || !std::filesystem::is_directory(corpus, ignored)) continue;
    int n = 0;
    for (const auto& sample : pgclone::protocol::fuzz::samples()) {
      std::ofstream(corpus / ("seed-" + std::to_string(n++)), std::ios::binary) << sample.envelope;
    }
    return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  write_seeds(*argc, *argv);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Anything but ProtocolError escapes and is reported by libFuzzer as a crash.
  pgclone::protocol::fuzz::decode_every_way(std::string_view(reinterpret_cast<const char*>(data), size),
                                            [](const pgclone::protocol::ProtocolError&) {});
  return 0;
}
