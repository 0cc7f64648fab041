// Who may join a coordinator as a worker agent: the worker keys file and the
// ZAP decision of the worker endpoint, kept apart from the servers' enrolment.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zmq.h>

#include <fstream>

#include "temp_dir.h"
#include "trust/enrolment.h"
#include "trust/key_generation.h"
#include "trust/worker_keys.h"
#include "trust/zap_policy.h"

namespace pgclone::agent::trust {
namespace {

std::string raw_key(const std::string& z85) {
  std::string raw(32, '\0');
  zmq_z85_decode(reinterpret_cast<std::uint8_t*>(raw.data()), z85.c_str());
  return raw;
}

std::string write(const testing::TempDir& dir, const std::string& text, mode_t mode = 0644) {
  const std::string path = dir.file("worker_keys");
  std::ofstream(path) << text;
  chmod(path.c_str(), mode);
  return path;
}

TEST(WorkerKeys, ReadsKeysLabelsAndComments) {
  testing::TempDir dir;
  // A key may contain '#' (Z85): only a line starting with it is a comment.
  const std::string with_hash = "5dV*y@+7]@KBd+*C{11a2O&UU@x9#yVarzI4Cj2S";
  const std::string plain = generate_key_pair().public_key;
  const auto keys = load_worker_keys(write(dir, "# workers\n\n  " + with_hash + "  w1.example.net\n" + plain + "\n"));
  EXPECT_EQ(keys, (std::set<std::string>{with_hash, plain}));
}

TEST(WorkerKeys, RefusesWhatItCannotTrust) {
  testing::TempDir dir;
  const std::string key = generate_key_pair().public_key;
  EXPECT_THROW(load_worker_keys(dir.file("missing")), std::runtime_error);
  try {
    load_worker_keys(write(dir, key + "\nnot-a-key\n"));
    FAIL() << "a malformed line was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  }
  try {
    load_worker_keys(write(dir, key + "\n", 0666));
    FAIL() << "a file others may write was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("group or others"), std::string::npos) << e.what();
  }
}

TEST(WorkerZap, AdmitsListedWorkerKeysOnly) {
  const std::string worker = generate_key_pair().public_key;
  const std::string server = generate_key_pair().public_key;
  const std::set<std::string> keys{worker};
  EXPECT_TRUE(decide_worker({"10.0.0.2", "CURVE", {raw_key(worker)}, kWorkerZapDomain}, keys).allowed);
  EXPECT_FALSE(decide_worker({"10.0.0.2", "CURVE", {raw_key(server)}, kWorkerZapDomain}, keys).allowed);
  EXPECT_FALSE(decide_worker({"10.0.0.2", "NULL", {}, kWorkerZapDomain}, keys).allowed);
  EXPECT_FALSE(decide_worker({"10.0.0.2", "CURVE", {"short"}, kWorkerZapDomain}, keys).allowed);
}

TEST(WorkerZap, AWorkerKeyIsNoServerKey) {
  const std::string worker = generate_key_pair().public_key;
  const std::string server = generate_key_pair().public_key;
  const Enrolment enrolment = Enrolment::parse(
      R"({"servers": [{"name": "db1", "public_keys": [")" + server + R"("], "target": "host=/tmp user=a"}]})", "test");
  // The extension's endpoint knows servers only, the worker endpoint workers only.
  EXPECT_FALSE(decide({"10.0.0.2", "CURVE", {raw_key(worker)}}, enrolment, {}).allowed);
  EXPECT_TRUE(decide({"10.0.0.2", "CURVE", {raw_key(server)}}, enrolment, {}).allowed);
  EXPECT_FALSE(decide_worker({"10.0.0.2", "CURVE", {raw_key(server)}, kWorkerZapDomain}, {worker}).allowed);
}

}  // namespace
}  // namespace pgclone::agent::trust
