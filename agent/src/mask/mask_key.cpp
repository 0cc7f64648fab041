#include "mask/mask_key.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "pgclone/protocol/mask_sql.h"

namespace pgclone::agent::mask {
namespace {

constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kHmacBlock = 64;  // SHA-256's block size

std::mutex installed_mutex;
std::shared_ptr<const MaskKey> installed;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string to_hex(const unsigned char* bytes, std::size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

std::string random_key_hex() {
  unsigned char key[kKeyBytes];
  std::size_t got = 0;
  while (got < sizeof key) {
    const ssize_t n = getrandom(key + got, sizeof key - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(std::string("cannot make a masking key: ") + std::strerror(errno));
    got += static_cast<std::size_t>(n);
  }
  std::string hex = to_hex(key, sizeof key);
  std::memset(key, 0, sizeof key);
  return hex;
}

void create_key_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return;  // somebody else made it first: read theirs
    throw std::runtime_error("cannot create masking key file " + path + ": " + std::strerror(errno));
  }
  const std::string text = random_key_hex() + "\n";
  const bool written = ::fchmod(fd, 0600) == 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const int saved = errno;
  ::close(fd);
  if (!written) throw std::runtime_error("cannot write masking key file " + path + ": " + std::strerror(saved));
}

}  // namespace

MaskKey MaskKey::from_hex(const std::string& hex) {
  if (hex.size() != 2 * kKeyBytes) throw std::runtime_error("a masking key is 64 hex digits");
  unsigned char inner[kHmacBlock], outer[kHmacBlock];
  for (std::size_t i = 0; i < kHmacBlock; ++i) {
    unsigned char k = 0;
    if (i < kKeyBytes) {
      const int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
      if (hi < 0 || lo < 0) throw std::runtime_error("a masking key is 64 hex digits");
      k = static_cast<unsigned char>(hi * 16 + lo);
    }
    inner[i] = k ^ 0x36;
    outer[i] = k ^ 0x5c;
  }
  MaskKey key;
  key.inner_hex_ = to_hex(inner, sizeof inner);
  key.outer_hex_ = to_hex(outer, sizeof outer);
  std::memset(inner, 0, sizeof inner);
  std::memset(outer, 0, sizeof outer);
  return key;
}

MaskKey MaskKey::load_or_create(const std::string& path) {
  create_key_file(path);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) throw std::runtime_error("cannot read masking key file " + path + ": " + std::strerror(errno));
  struct stat info {};
  if (::fstat(fd, &info) != 0 || (info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    ::close(fd);
    throw std::runtime_error("masking key file " + path +
                             " is accessible to other users; it must be readable by its owner only (chmod 600)");
  }
  char buffer[2 * kKeyBytes + 8] = {};
  const ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
  ::close(fd);
  std::string text(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
  std::memset(buffer, 0, sizeof buffer);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  try {
    return from_hex(text);
  } catch (const std::runtime_error&) {
    throw std::runtime_error("masking key file " + path + " does not hold a masking key (64 hex digits)");
  }
}

void install_mask_key(const MaskKey& key) {
  std::lock_guard<std::mutex> lock(installed_mutex);
  installed = std::make_shared<const MaskKey>(key);
}

bool mask_key_installed() {
  std::lock_guard<std::mutex> lock(installed_mutex);
  return installed != nullptr;
}

std::string options_with_mask_key(const std::string& conninfo_options) {
  std::shared_ptr<const MaskKey> key;
  {
    std::lock_guard<std::mutex> lock(installed_mutex);
    key = installed;
  }
  if (!key) throw std::logic_error("no masking key is installed in this agent");
  std::string out = conninfo_options;
  if (!out.empty()) out += ' ';
  return out + "-c " + protocol::kMaskInnerKeySetting + "=" + key->inner_hex() + " -c " +
         protocol::kMaskOuterKeySetting + "=" + key->outer_hex();
}

}  // namespace pgclone::agent::mask
