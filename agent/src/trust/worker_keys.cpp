#include "trust/worker_keys.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "pgclone/protocol/key_file.h"

namespace pgclone::agent::trust {

std::set<std::string> load_worker_keys(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    throw std::runtime_error("cannot read worker keys " + path + ": " + std::strerror(errno));
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    throw std::runtime_error("worker keys " + path + " may be written by group or others: chmod go-w it");
  }
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read worker keys " + path);
  std::set<std::string> keys;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    // Z85 has '#' among its characters: only a line that starts with it is
    // a comment. After the key, anything (a label) may follow a blank.
    const std::size_t begin = line.find_first_not_of(" \t\r");
    if (begin == std::string::npos || line[begin] == '#') continue;
    const std::size_t end = line.find_first_of(" \t\r", begin);
    const std::string key = line.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    if (!protocol::is_curve_key(key)) {
      throw std::runtime_error("worker keys " + path + " line " + std::to_string(number) +
                               ": not a CURVE public key (40 characters of Z85)");
    }
    keys.insert(key);
  }
  return keys;
}

}  // namespace pgclone::agent::trust
