// What every swrctl command shares: exit codes, messages, environment,
// files, credentials and the one redactor of the run.
#pragma once

#include <string>

#include "args.h"
#include "common/log.h"
#include "common/status.h"
#include "replication/copy_engine.h"

namespace swrctl {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;  // the operation failed; message on stderr
constexpr int kExitUsage = 2;   // the command line is wrong

// Every message goes through RunRedactor().RedactLine(): known secrets and
// credential-shaped text masked, control characters from servers removed.
int Usage(const std::string& why);
int Fail(const std::string& message);
// A usage error for kInvalidArgument raised before any server answered
// (http_status 0), else a failure.
int FailOrUsage(const swr::Status& status);
void Warn(const std::string& message);
std::string Env(const char* name);
// "0 B", "293.0 KiB", "1.4 GiB".
std::string HumanBytes(double bytes);
// Every file an option names is read to at most this size: a larger one (or
// /dev/zero) is refused as unreadable, without being read whole.
inline constexpr size_t kMaxInputFileBytes = 16u << 20;
bool ReadFile(const std::string& path, std::string* out);
// Writes `text` to `path` so that nothing is lost silently: every write and
// the close are checked (a full disk is an error, not a short file), and a
// regular file (or a symbolic link) is replaced by writing a new file beside
// it and renaming it into place (the link is not followed). A device or a
// pipe (/dev/stdout) is written directly.
swr::Status WriteFileSafely(const std::string& path, const std::string& text);
// A secret from a file, or from standard input for "-": the first line,
// without its line break.
bool ReadSecret(const std::string& path, std::string* out);

// "2 blobs to copy (1.0 MiB), 1 to mount (3.0 KiB), 0 already there (0 B)".
std::string PlanLine(const swr::replication::PlanCounts& n);

// SWR refuses OCI image indexes: the way out, for messages.
inline constexpr const char* kSwrRefusesOciIndex =
    "SWR does not accept OCI image indexes: run with --oci-index-to-docker-list (the digests change), "
    "or copy one platform (source@sha256:<its manifest>)";

// A whole decimal number in [min, max]; false for anything else.
bool ParseNumber(const std::string& text, long long min, long long max, long long* out);

// Knows every secret this run was given; shared by all clients it builds.
swr::Redactor& RunRedactor();
std::shared_ptr<swr::Redactor> SharedRunRedactor();

struct CredentialInput {
  std::string access_key, secret_key, project, project_id;
};
// OS_ACCESS_KEY, OS_SECRET_KEY, OS_PROJECT_NAME, OS_PROJECT_ID, overridden by
// --access-key, --secret-key-file F ("-": stdin), --secret-key (visible to
// other users in the process list: warned about), --project-name and
// --project-id. Registers the SK and the login key with RunRedactor().
// Returns "" or what is wrong (a usage error).
std::string ReadCredentials(const Args& args, CredentialInput* out);

}  // namespace swrctl
