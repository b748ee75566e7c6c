// SPDX-License-Identifier: Apache-2.0
// keylog_file(): SSLKEYLOGFILE is created 0600 whatever the umask, appended to, and a
// symlink or a file others may access is refused.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "tern/tls.h"
#include "tls_session_test_util.h"

namespace tern {
namespace {

using test::TempDir;

std::string contents(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(lstat(path.c_str(), &st), 0);
  return st.st_mode & 07777;
}

TEST(KeylogFile, CreatedOwnerOnlyWhateverTheUmaskAndAppended) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string path = dir.file("keys.log");
  mode_t saved = umask(0);  // the most permissive umask: the mode must not depend on it
  auto keylog = keylog_file(path);
  umask(saved);
  ASSERT_TRUE(keylog.ok()) << keylog.error();
  (*keylog)("CLIENT_RANDOM aa bb");
  EXPECT_EQ(mode_of(path), 0600u);
  auto again = keylog_file(path);  // an existing private file: appended to
  ASSERT_TRUE(again.ok()) << again.error();
  (*again)("CLIENT_RANDOM cc dd");
  EXPECT_EQ(contents(path), "CLIENT_RANDOM aa bb\nCLIENT_RANDOM cc dd\n");
}

TEST(KeylogFile, RefusesAFileOthersMayAccess) {
  TempDir dir;
  std::string path = dir.file("keys.log");
  std::ofstream(path) << "old\n";
  for (mode_t mode : {0644, 0640, 0602}) {
    ASSERT_EQ(chmod(path.c_str(), mode), 0);
    auto keylog = keylog_file(path);
    ASSERT_FALSE(keylog.ok()) << mode;
    EXPECT_EQ(keylog.error().code, Errc::usage);
    EXPECT_NE(keylog.error().detail.find("chmod 600 " + path), std::string::npos)
        << keylog.error();
  }
  EXPECT_EQ(contents(path), "old\n");
}

TEST(KeylogFile, RefusesASymlink) {
  TempDir dir;
  std::string target = dir.file("target.log"), link = dir.file("link.log");
  std::ofstream(target) << "target\n";
  ASSERT_EQ(chmod(target.c_str(), 0600), 0);
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
  auto keylog = keylog_file(link);
  ASSERT_FALSE(keylog.ok());
  EXPECT_NE(keylog.error().detail.find("symbolic link"), std::string::npos) << keylog.error();
  EXPECT_EQ(contents(target), "target\n");
}

}  // namespace
}  // namespace tern
