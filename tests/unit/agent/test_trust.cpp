// The agent's front door: enrolment files, the ZAP decision, key files.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zmq.h>

#include <fstream>

#include "pgclone/protocol/key_file.h"
#include "temp_dir.h"
#include "trust/enrolment.h"
#include "trust/key_generation.h"
#include "trust/zap_policy.h"

namespace pgclone::agent::trust {
namespace {

std::string servers_json(const std::string& key, const std::string& target = "host=/tmp port=5432 user=agent") {
  return R"({"servers": [{"name": "db1", "public_keys": [")" + key + R"("], "target": ")" + target + R"("}]})";
}

// The 32 raw bytes behind a Z85 key, as ZAP hands them over.
std::string raw_key(const std::string& z85) {
  std::string raw(32, '\0');
  zmq_z85_decode(reinterpret_cast<std::uint8_t*>(raw.data()), z85.c_str());
  return raw;
}

TEST(Enrolment, FindsServersByKeyAndName) {
  const protocol::CurveKeyPair a = generate_key_pair();
  const Enrolment enrolment = Enrolment::parse(servers_json(a.public_key), "test");
  ASSERT_NE(enrolment.by_key(a.public_key), nullptr);
  EXPECT_EQ(enrolment.by_key(a.public_key)->name, "db1");
  EXPECT_EQ(enrolment.by_name("db1")->target_conninfo, "host=/tmp port=5432 user=agent");
  EXPECT_EQ(enrolment.by_key(generate_key_pair().public_key), nullptr);
  EXPECT_EQ(target_conninfo_for(*enrolment.by_name("db1"), "it's"), "host=/tmp port=5432 user=agent dbname='it\\'s'");
}

TEST(Enrolment, RefusesWhatItCannotTrust) {
  const std::string key = generate_key_pair().public_key;
  const auto refused = [](const std::string& text, const std::string& why) {
    try {
      Enrolment::parse(text, "servers file \"x\"");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const EnrolmentError& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  };
  refused("not json", "is not valid");
  refused(R"({"servers": {}})", "is not valid");
  refused(servers_json("short"), "not 40 characters");
  refused(servers_json(key, "host=/tmp dbname=postgres"), "must not name a database");
  refused(servers_json(key, "postgresql://agent@db1/"), "keyword=value form");
  refused(servers_json(key, "host=/tmp password=sekrit nonsense"), "not a valid connection string");
  refused(R"({"servers": [{"name": "db 1", "public_keys": [")" + key + R"("], "target": ""}]})", "\"name\"");
  refused(R"({"servers": [{"name": "a", "public_keys": [")" + key + R"("], "target": ""},)"
          R"({"name": "b", "public_keys": [")" + key + R"("], "target": ""}]})",
          "enrolled for two servers");
  refused(R"({"servers": [{"name": "a", "public_keys": [")" + key + R"("], "target": "", "extra": 1}]})",
          "unknown key \"extra\"");
  refused(R"({"servers": [{"name": "a", "public_keys": [], "target": ""}]})", "non-empty array");
  try {
    Enrolment::parse(servers_json(key, "host=/tmp password=sekrit nonsense"), "f");
  } catch (const EnrolmentError& e) {
    EXPECT_EQ(std::string(e.what()).find("sekrit"), std::string::npos) << "a password leaked: " << e.what();
  }
}

TEST(ZapPolicy, OnlyEnrolledCurveKeysPass) {
  const protocol::CurveKeyPair server = generate_key_pair();
  const Enrolment enrolment = Enrolment::parse(servers_json(server.public_key), "test");
  const ZapDecision ok = decide({"127.0.0.1", "CURVE", {raw_key(server.public_key)}}, enrolment, {});
  EXPECT_TRUE(ok.allowed);
  EXPECT_EQ(ok.user_id, server.public_key);
  EXPECT_FALSE(decide({"127.0.0.1", "NULL", {}}, enrolment, {}).allowed);
  EXPECT_FALSE(decide({"127.0.0.1", "PLAIN", {"postgres", "secret"}}, enrolment, {}).allowed);
  EXPECT_FALSE(decide({"127.0.0.1", "CURVE", {raw_key(generate_key_pair().public_key)}}, enrolment, {}).allowed);
  EXPECT_FALSE(decide({"127.0.0.1", "CURVE", {"short"}}, enrolment, {}).allowed);
  EXPECT_FALSE(decide({"127.0.0.1", "CURVE", {}}, enrolment, {}).allowed);
}

TEST(ZapPolicy, IpcPeersAreCheckedByUid) {
  const protocol::CurveKeyPair server = generate_key_pair();
  const Enrolment enrolment = Enrolment::parse(servers_json(server.public_key), "test");
  EXPECT_EQ(ipc_peer_uid("localhost:106:110:4242"), 106);
  EXPECT_EQ(ipc_peer_uid("127.0.0.1"), -1);
  EXPECT_EQ(ipc_peer_uid("localhost:x:1:2"), -1);
  const std::set<unsigned> postgres_only{106};
  EXPECT_TRUE(decide({"localhost:106:110:1", "CURVE", {raw_key(server.public_key)}}, enrolment, postgres_only).allowed);
  EXPECT_FALSE(decide({"localhost:65534:65534:1", "CURVE", {raw_key(server.public_key)}}, enrolment, postgres_only).allowed);
  EXPECT_TRUE(decide({"localhost:65534:65534:1", "CURVE", {raw_key(server.public_key)}}, enrolment, {}).allowed);
}

TEST(KeyFiles, WrittenPrivateAndReadBack) {
  testing::TempDir dir;
  const std::string path = dir.file("server.key");
  const protocol::CurveKeyPair pair = generate_key_pair();
  write_key_file(path, pair, false);
  struct stat info {};
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const protocol::CurveKeyPair back = protocol::read_key_file(path);
  EXPECT_EQ(back.public_key, pair.public_key);
  EXPECT_EQ(back.secret_key, pair.secret_key);
  EXPECT_THROW(write_key_file(path, generate_key_pair(), false), std::runtime_error);  // no silent overwrite
  EXPECT_NO_THROW(write_key_file(path, generate_key_pair(), true));
}

TEST(KeyFiles, RefusesOpenOrBrokenFiles) {
  testing::TempDir dir;
  const std::string path = dir.file("loose.key");
  write_key_file(path, generate_key_pair(), false);
  chmod(path.c_str(), 0644);
  try {
    protocol::read_key_file(path);
    ADD_FAILURE() << "a group/world-readable key file was accepted";
  } catch (const protocol::KeyFileError& e) {
    EXPECT_NE(std::string(e.what()).find("chmod 600"), std::string::npos) << e.what();
  }
  const std::string broken = dir.file("broken.key");
  std::ofstream(broken) << R"({"public_key": "x"})";
  chmod(broken.c_str(), 0600);
  EXPECT_THROW(protocol::read_key_file(broken), protocol::KeyFileError);
  EXPECT_THROW(protocol::read_key_file(dir.file("missing.key")), protocol::KeyFileError);
}

}  // namespace
}  // namespace pgclone::agent::trust
