#include "pgclone/protocol/key_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace pgclone::protocol {
namespace {

constexpr std::string_view kZ85Alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

// Key files are tiny; anything bigger is not one.
constexpr std::streamsize kMaxKeyFileBytes = 4096;

std::string key_field(const nlohmann::json& doc, const char* field, const std::string& path) {
  const auto it = doc.find(field);
  if (it == doc.end() || !it->is_string() || !is_curve_key(it->get<std::string>())) {
    throw KeyFileError("key file \"" + path + "\" has no valid \"" + field +
                       "\" (40 characters of Z85 text)");
  }
  return it->get<std::string>();
}

}  // namespace

bool is_curve_key(std::string_view text) {
  if (text.size() != kCurveKeyLength) return false;
  for (char c : text) {
    if (kZ85Alphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

CurveKeyPair read_key_file(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) {
    throw KeyFileError("could not read key file \"" + path + "\": " + std::strerror(errno));
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    throw KeyFileError("key file \"" + path + "\" is accessible to other users (mode " +
                       std::to_string(info.st_mode & 0777) +
                       " in decimal); it must be readable by its owner only (chmod 600)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw KeyFileError("could not read key file \"" + path + "\": " + std::strerror(errno));
  std::string text(static_cast<std::size_t>(kMaxKeyFileBytes) + 1, '\0');
  in.read(text.data(), kMaxKeyFileBytes + 1);
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (static_cast<std::streamsize>(text.size()) > kMaxKeyFileBytes) {
    throw KeyFileError("key file \"" + path + "\" is too large to be a key file");
  }
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    throw KeyFileError("key file \"" + path + "\" is not a pgclone key file (JSON object expected)");
  }
  return CurveKeyPair{key_field(doc, "public_key", path), key_field(doc, "secret_key", path)};
}

std::string key_file_text(const CurveKeyPair& pair) {
  const nlohmann::json doc = {{"public_key", pair.public_key}, {"secret_key", pair.secret_key}};
  return doc.dump(2) + "\n";
}

}  // namespace pgclone::protocol
