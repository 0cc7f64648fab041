#include "trust/key_generation.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace pgclone::agent::trust {

protocol::CurveKeyPair generate_key_pair() {
  char public_key[protocol::kCurveKeyLength + 1] = {};
  char secret_key[protocol::kCurveKeyLength + 1] = {};
  if (zmq_curve_keypair(public_key, secret_key) != 0) {
    throw std::runtime_error(std::string("cannot generate a CURVE key pair: ") + zmq_strerror(zmq_errno()) +
                             " (libzmq must be built with libsodium)");
  }
  protocol::CurveKeyPair pair{public_key, secret_key};
  std::memset(secret_key, 0, sizeof secret_key);
  return pair;
}

void write_key_file(const std::string& path, const protocol::CurveKeyPair& pair, bool overwrite) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (overwrite ? O_TRUNC : O_EXCL);
  const int fd = ::open(path.c_str(), flags, 0600);
  if (fd < 0) {
    throw std::runtime_error("cannot create key file " + path + ": " + std::strerror(errno) +
                             (errno == EEXIST ? " (pass --force to replace it)" : ""));
  }
  const std::string text = protocol::key_file_text(pair);
  const bool written = ::fchmod(fd, 0600) == 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const int saved = errno;
  ::close(fd);
  if (!written) throw std::runtime_error("cannot write key file " + path + ": " + std::strerror(saved));
}

}  // namespace pgclone::agent::trust
