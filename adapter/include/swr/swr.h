/*
 * The Open Telekom Cloud SWR adapter: public C ABI.
 *
 * This header is the specification. Conventions (see each function):
 *  - Fallible functions return int: SWR_OK (0) or a negative swr_error_code.
 *  - Output parameters come first; an optional `swr_error **err` comes last.
 *    When it is non-NULL and the call fails, *err receives a detailed error
 *    the caller frees with swr_error_free(). On success *err is set to NULL.
 *  - The library allocates and the library frees: every object handed out
 *    has its own _free function; every _free accepts NULL.
 *  - Input strings are borrowed for the duration of the call only.
 *  - No C++ exception ever crosses this boundary.
 *  - Secrets (SK, login key, tokens, Authorization values) never appear in
 *    any message, log line or error this library produces.
 */
#ifndef SWR_SWR_H
#define SWR_SWR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SWR_EXTERN __attribute__((visibility("default")))
#else
#define SWR_EXTERN
#endif

#define SWR_VERSION_MAJOR 0
#define SWR_VERSION_MINOR 1
#define SWR_VERSION_PATCH 0

/* ------------------------------------------------------------------ */
/* Errors                                                               */
/* ------------------------------------------------------------------ */

/* Return codes. New codes are only ever added at the end; none is removed. */
typedef enum swr_error_code {
  SWR_OK = 0,
  SWR_ERROR = -1,        /* unclassified failure */
  SWR_EINVALID = -2,     /* bad argument or bad input */
  SWR_ENOTFOUND = -3,    /* the object does not exist */
  SWR_EEXISTS = -4,      /* the object already exists */
  SWR_EAUTH = -5,        /* authentication failed (wrong AK/SK, expired signature) */
  SWR_EDENIED = -6,      /* authenticated, but not allowed */
  SWR_ERATELIMIT = -7,   /* HTTP 429 after all retries */
  SWR_ETIMEOUT = -8,     /* the operation timed out */
  SWR_EUNAVAILABLE = -9, /* 5xx after all retries */
  SWR_EDIGEST = -10,     /* content does not match its digest */
  SWR_EPROTOCOL = -11,   /* the server answered something unexpected */
  SWR_EUNSUPPORTED = -12,/* the operation is not supported here */
  SWR_ECANCELLED = -13,  /* cancelled by swr_client_cancel */
  SWR_EUSER = -14,       /* a callback asked to stop */
  SWR_ECONFLICT = -15,   /* the object is in a state that forbids it (e.g. not empty) */
  SWR_ENETWORK = -16,    /* connection, DNS or TLS failure */
  SWR_ENOMEM = -17,      /* out of memory */
  SWR_EQUOTA = -18       /* an account quota is used up (e.g. SWR's 5 organizations) */
} swr_error_code;

typedef struct swr_error {
  int code;          /* a swr_error_code */
  int http_status;   /* 0 when no HTTP response was involved */
  char *message;     /* human-readable, never NULL, never contains secrets */
  char *swr_code;    /* e.g. "SVCSTG.SWR.4040058" or "APIGW.0301"; "" when none */
  char *request_id;  /* the server's request id; "" when none */
} swr_error;

/* Frees an error. Ownership: takes `err`. NULL is a no-op. */
SWR_EXTERN void swr_error_free(swr_error *err);

/* Static text for a code ("not found", ...). Never NULL; do not free. */
SWR_EXTERN const char *swr_strerror(int code);

/* Frees a string returned by this library. NULL is a no-op. */
SWR_EXTERN void swr_string_free(char *s);

/* ------------------------------------------------------------------ */
/* Version                                                              */
/* ------------------------------------------------------------------ */

/* The run-time version, e.g. "0.1.0". Static; do not free.
 * Compare with SWR_VERSION_* to detect a header/library mismatch. */
SWR_EXTERN const char *swr_version(int *major, int *minor, int *patch);

/* ------------------------------------------------------------------ */
/* Logging                                                              */
/* ------------------------------------------------------------------ */

typedef enum swr_log_level {
  SWR_LOG_ERROR = 0,
  SWR_LOG_WARN = 1,
  SWR_LOG_INFO = 2,
  SWR_LOG_DEBUG = 3
} swr_log_level;

/* Receives one already-redacted log line. `message` is valid only during
 * the call. May be called from any thread the library uses, concurrently;
 * never after swr_client_free() returns. */
typedef void (*swr_log_cb)(int level, const char *message, void *payload);

/* ------------------------------------------------------------------ */
/* AK/SK signing and the login key (no client needed)                   */
/* ------------------------------------------------------------------ */

typedef enum swr_signature_format {
  SWR_SIGN_ACCESS = 0,     /* "SDK-HMAC-SHA256 Access=AK, ..." (default) */
  SWR_SIGN_CREDENTIAL = 1  /* "SDK-HMAC-SHA256 Credential=AK/date/region/service/sdk_request, ..." */
} swr_signature_format;

typedef struct swr_header {
  const char *name;
  const char *value;
} swr_header;

#define SWR_SIGN_REQUEST_VERSION 1
typedef struct swr_sign_request {
  unsigned int version;      /* SWR_SIGN_REQUEST_VERSION */
  const char *method;        /* "GET", ... */
  const char *url;           /* full URL with query */
  const swr_header *headers; /* headers to send; a "Host" wins over the URL's host;
                                an "X-Sdk-Date" is used as the signing time */
  size_t header_count;
  const void *body;          /* may be NULL when body_len is 0 */
  size_t body_len;
  const char *access_key;
  const char *secret_key;
  const char *sdk_date;      /* "YYYYMMDDTHHMMSSZ"; NULL: the current time */
  int format;                /* a swr_signature_format */
  const char *region;        /* credential format only; NULL = "" */
  const char *service;       /* credential format only; NULL = "" */
  const char *signed_headers;/* "host;x-sdk-date"; NULL: host, x-sdk-date and every header given */
} swr_sign_request;
#define SWR_SIGN_REQUEST_INIT { SWR_SIGN_REQUEST_VERSION, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL, 0, NULL, NULL, NULL }

typedef struct swr_signature {
  char *authorization;      /* the Authorization header value */
  char *sdk_date;           /* the X-Sdk-Date header value to send */
  char *host;               /* the Host header value that was signed */
  char *canonical_request;  /* for debugging */
  char *string_to_sign;     /* for debugging */
} swr_signature;

/* Signs one request with SDK-HMAC-SHA256.
 * Returns SWR_OK, or SWR_EINVALID for a bad URL, header or date.
 * Ownership: *out belongs to the caller; free with swr_signature_free().
 * Thread safety: safe from any thread. */
SWR_EXTERN int swr_sign(swr_signature **out, const swr_sign_request *request, swr_error **err);
SWR_EXTERN void swr_signature_free(swr_signature *sig);

/* The docker login key: lower-case hex HMAC-SHA256(key = SK, message = AK).
 * Ownership: *out is freed with swr_string_free(). Thread safety: any thread. */
SWR_EXTERN int swr_login_key(char **out, const char *access_key, const char *secret_key, swr_error **err);

/* ------------------------------------------------------------------ */
/* Client                                                               */
/* ------------------------------------------------------------------ */

typedef struct swr_client swr_client;

/* What a client's access_secret is. SWR_SECRET_AUTO decides by its shape:
 * "temp:<password>" is a temporary docker login password (from
 * swr_login_temporary() or SWR's console), 64 hex digits a long-term login
 * key, anything else the SK. A temporary password is never taken for an SK:
 * give it with the "temp:" marker (e.g. in a Harbor endpoint's Access
 * Secret) or say SWR_SECRET_TEMPORARY. Without the SK, management calls use
 * SWR's legacy /dockyard/v2 paths on the registry host (basic auth), which
 * cannot delete organizations, repositories or tags, list tags, or make
 * temporary logins (SWR_EUNSUPPORTED). */
typedef enum swr_secret_kind {
  SWR_SECRET_AUTO = 0,
  SWR_SECRET_SK = 1,
  SWR_SECRET_LOGIN_KEY = 2,
  SWR_SECRET_TEMPORARY = 3
} swr_secret_kind;

#define SWR_CLIENT_OPTIONS_VERSION 3
typedef struct swr_client_options {
  unsigned int version;        /* SWR_CLIENT_OPTIONS_VERSION */
  const char *registry_url;    /* "https://swr.eu-de.otc.t-systems.com"; no scheme means https */
  const char *access_id;       /* "<project name>@<AK>", e.g. "eu-de@AK..." */
  const char *access_secret;   /* the SK, or a 64-hex-digit login key (compatibility mode) */
  const char *project_id;      /* optional: sent and signed as X-Project-Id */
  const char *management_url;  /* optional: overrides the API host derived from registry_url */
  int insecure;                /* non-zero: do not verify TLS certificates */
  const char *ca_pem;          /* optional: extra trusted CA certificates, PEM text */
  unsigned int timeout_ms;     /* per request; 0 = 60000 */
  unsigned int max_attempts;   /* for idempotent requests, first try included; 0 = 4 */
  const char *user_agent;      /* NULL = "otc-swr-adapter/<version>" */
  int signature_format;        /* a swr_signature_format */
  const char *region;          /* credential format scope; NULL = "" */
  const char *service;         /* credential format scope; NULL = "" */
  swr_log_cb log_cb;           /* optional */
  void *log_payload;
  int log_level;               /* highest level passed to log_cb */
  int allow_plain_http;        /* non-zero: allow http:// to a host other than this machine */
  int secret_kind;             /* a swr_secret_kind: what access_secret is */
} swr_client_options;
#define SWR_CLIENT_OPTIONS_INIT { SWR_CLIENT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, 0, NULL, 0, NULL, NULL, NULL, NULL, SWR_LOG_WARN, 0, SWR_SECRET_AUTO }

/* Fills `opts` with defaults for `version`. Returns SWR_EINVALID for an
 * unknown version. */
SWR_EXTERN int swr_client_options_init(swr_client_options *opts, unsigned int version);

/* Creates a client. Checks the options (URL, Access ID "<project>@<AK>",
 * secret) but makes no network call.
 * Returns SWR_OK or SWR_EINVALID.
 * Ownership: *out is freed with swr_client_free(); the options and their
 * strings are copied.
 * Thread safety: the client may be used by many threads at once. */
SWR_EXTERN int swr_client_new(swr_client **out, const swr_client_options *opts, swr_error **err);

/* Frees a client. No call on it may be in progress. NULL is a no-op. */
SWR_EXTERN void swr_client_free(swr_client *client);

/* Non-zero when the Access Secret is a login key (compatibility mode):
 * management calls then use the legacy /dockyard/v2 paths with basic auth. */
SWR_EXTERN int swr_client_login_key_mode(const swr_client *client);

/* ------------------------------------------------------------------ */
/* Organizations (SWR namespaces)                                       */
/* ------------------------------------------------------------------ */

typedef struct swr_organization {
  long long id;
  char *name;
  char *creator_name;
  int auth;  /* 7 manage, 3 write, 1 read */
} swr_organization;

typedef struct swr_organization_list {
  swr_organization *items;
  size_t count;
} swr_organization_list;

/* Creates an organization. Returns SWR_OK, SWR_EEXISTS when it exists,
 * SWR_EINVALID for a name SWR would refuse, or another code.
 * Thread safety: safe for concurrent calls on one client. */
SWR_EXTERN int swr_org_create(swr_client *client, const char *name, swr_error **err);

/* Creates an organization unless it exists; an existing one of this
 * account is SWR_OK. Organization names are unique in a region across all
 * accounts: a name another account holds is SWR_ECONFLICT (pushes into it
 * would fail), and SWR's quota of organizations per account (5 on OTC) is
 * SWR_EQUOTA. swr_org_create() answers the same, but SWR_EEXISTS for an
 * organization of this account. */
SWR_EXTERN int swr_org_ensure(swr_client *client, const char *name, swr_error **err);

/* Deletes an organization. SWR_ENOTFOUND when missing, SWR_ECONFLICT when
 * it still holds images, SWR_EUNSUPPORTED in login-key mode. */
SWR_EXTERN int swr_org_delete(swr_client *client, const char *name, swr_error **err);

/* Gets one organization. Ownership: free *out with swr_organization_free(). */
SWR_EXTERN int swr_org_get(swr_organization **out, swr_client *client, const char *name, swr_error **err);
SWR_EXTERN void swr_organization_free(swr_organization *org);

/* Lists the organizations visible to the credentials.
 * Ownership: free *out with swr_organization_list_free(). */
SWR_EXTERN int swr_org_list(swr_organization_list **out, swr_client *client, swr_error **err);
SWR_EXTERN void swr_organization_list_free(swr_organization_list *list);

/* ---- Deleting images ----
 * Which call each delete uses:
 *  - swr_tag_delete(): the management API, DELETE
 *    /v2/manage/namespaces/{org}/repos/{repo}/tags/{tag} (documented; 204).
 *  - swr_repository_delete(): the management API, DELETE
 *    /v2/manage/namespaces/{org}/repos/{repo} (documented; every image).
 *  - swr_manifest_delete(): the registry API, DELETE /v2/<repo>/manifests/<digest>
 *    (works on Docker distribution; no public source says SWR accepts it:
 *    prefer swr_tag_delete() for SWR).
 * An organization can be deleted (swr_org_delete) once its repositories
 * are gone. Both need the SK (SWR_EUNSUPPORTED with a login key).
 * `repository` is the path inside the organization ("app", "team/app"). */
SWR_EXTERN int swr_tag_delete(swr_client *client, const char *organization, const char *repository, const char *tag,
                              swr_error **err);
SWR_EXTERN int swr_repository_delete(swr_client *client, const char *organization, const char *repository,
                                     swr_error **err);

/* ---- Temporary docker logins ---- */

typedef struct swr_docker_login {
  char *username;    /* "<project>@<AK>" as SWR gives it */
  char *password;    /* a secret: give it to docker or as "temp:" + password, never log it */
  char *registry;    /* the registry host SWR names; "" when it does not */
  char *expires_at;  /* SWR's X-Swr-Expireat as sent; "" when absent */
} swr_docker_login;

/* A docker login valid for hours (POST /v2/manage/utils/secret). Needs the
 * SK. Ownership: free *out with swr_docker_login_free(). */
SWR_EXTERN int swr_login_temporary(swr_docker_login **out, swr_client *client, swr_error **err);
SWR_EXTERN void swr_docker_login_free(swr_docker_login *login);

/* ------------------------------------------------------------------ */
/* Registries: any Docker Registry V2 / OCI distribution endpoint       */
/* ------------------------------------------------------------------ */

typedef struct swr_registry swr_registry;

#define SWR_REGISTRY_OPTIONS_VERSION 2
typedef struct swr_registry_options {
  unsigned int version;       /* SWR_REGISTRY_OPTIONS_VERSION */
  const char *url;            /* "https://host[:port]", or "http://..." for plain HTTP */
  const char *username;       /* NULL or "": anonymous */
  const char *password;
  int insecure;               /* non-zero: do not verify TLS certificates */
  const char *ca_pem;         /* optional: extra trusted CA certificates, PEM text */
  unsigned int timeout_ms;    /* per request, reset by progress; 0 = 60000 */
  unsigned int max_attempts;  /* for idempotent requests; 0 = 4 */
  const char *user_agent;     /* NULL = "otc-swr-adapter/<version>" */
  size_t buffer_bytes;        /* memory per blob stream; 0 = 4 MiB, at most 1 GiB */
  swr_log_cb log_cb;
  void *log_payload;
  int log_level;
  int allow_plain_http;       /* non-zero: allow http:// to a host other than this machine */
  int allow_insecure_redirects; /* non-zero: follow https -> http blob redirects */
} swr_registry_options;
#define SWR_REGISTRY_OPTIONS_INIT { SWR_REGISTRY_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL, 0, 0, NULL, 0, NULL, NULL, SWR_LOG_WARN, 0, 0 }

/* Creates a registry handle; no network call. Returns SWR_OK or SWR_EINVALID.
 * Ownership: free *out with swr_registry_free(); options are copied.
 * Thread safety: the handle may be used by many threads at once. */
SWR_EXTERN int swr_registry_new(swr_registry **out, const swr_registry_options *opts, swr_error **err);
/* Frees a registry. No call on it may be in progress. NULL is a no-op. */
SWR_EXTERN void swr_registry_free(swr_registry *reg);

/* The SWR registry of a client ("<project>@<AK>" and the login key).
 * Ownership: borrowed; valid until swr_client_free(client). Never NULL for a valid client. */
SWR_EXTERN swr_registry *swr_client_registry(swr_client *client);

/* Cancels every operation in progress on the registry (blob streams
 * included); they and every later call fail with SWR_ECANCELLED. Terminal:
 * make a new handle to continue. Thread safety: safe from any thread, also
 * while other calls run. */
SWR_EXTERN void swr_registry_cancel(swr_registry *reg);
/* swr_registry_cancel() on the client's registry. */
SWR_EXTERN void swr_client_cancel(swr_client *client);

/* Checks reachability and credentials at /v2/. */
SWR_EXTERN int swr_registry_ping(swr_registry *reg, swr_error **err);

/* ---- Manifests ---- */

typedef struct swr_manifest {
  char *digest;      /* "sha256:..." */
  char *media_type;
  void *data;        /* the manifest bytes; NULL from swr_manifest_head() */
  size_t size;       /* bytes of the manifest */
} swr_manifest;

/* Existence and digest of a manifest by tag or digest. SWR_ENOTFOUND when
 * absent. The digest is the registry's Docker-Content-Digest, or the hash
 * of the body when the registry sends none. Free *out with swr_manifest_free(). */
SWR_EXTERN int swr_manifest_head(swr_manifest **out, swr_registry *reg, const char *repo, const char *ref,
                                 swr_error **err);
/* Downloads a manifest; `accept` NULL accepts Docker schema 2, manifest
 * lists, OCI manifests and indexes, and schema 1. The content is checked
 * against the digest (SWR_EDIGEST). Free *out with swr_manifest_free(). */
SWR_EXTERN int swr_manifest_get(swr_manifest **out, swr_registry *reg, const char *repo, const char *ref,
                                const char *accept, swr_error **err);
/* Uploads a manifest under `ref` (a tag or its digest). *digest_out (may be
 * NULL) receives the digest; free it with swr_string_free(). SWR's refusal
 * of OCI indexes comes back as SWR_EINVALID with SWR's message. */
SWR_EXTERN int swr_manifest_put(char **digest_out, swr_registry *reg, const char *repo, const char *ref,
                                const char *media_type, const void *data, size_t size, swr_error **err);
/* Deletes a manifest; a tag is resolved to its digest first. */
SWR_EXTERN int swr_manifest_delete(swr_registry *reg, const char *repo, const char *ref, swr_error **err);
SWR_EXTERN void swr_manifest_free(swr_manifest *m);

typedef struct swr_string_list {
  char **items;
  size_t count;
} swr_string_list;

/* All tags of a repository (every page). Free *out with swr_string_list_free(). */
SWR_EXTERN int swr_tags_list(swr_string_list **out, swr_registry *reg, const char *repo, swr_error **err);
SWR_EXTERN void swr_string_list_free(swr_string_list *list);

/* ---- Blobs ---- */

/* *exists is 1 and *size (may be NULL) the blob's size when the repository
 * has the blob, else 0. Returns SWR_OK in both cases. */
SWR_EXTERN int swr_blob_exists(int *exists, long long *size, swr_registry *reg, const char *repo,
                               const char *digest, swr_error **err);

typedef struct swr_blob_reader swr_blob_reader;

/* Opens a streamed download from `offset`, `length` bytes (-1: to the end).
 * A whole-blob read is verified as it flows: the read that would end the
 * stream fails with SWR_EDIGEST instead when size or SHA-256 differ.
 * Ownership: free with swr_blob_reader_free() (which abandons the download).
 * Thread safety: one thread at a time per reader. */
SWR_EXTERN int swr_blob_open_read(swr_blob_reader **out, swr_registry *reg, const char *repo, const char *digest,
                                  long long offset, long long length, swr_error **err);
/* Bytes this reader will deliver, or -1 when the registry did not say. */
SWR_EXTERN long long swr_blob_reader_size(const swr_blob_reader *r);
/* Reads up to `len` bytes; blocks until at least one is there. *nread is 0
 * at the end of the blob. */
SWR_EXTERN int swr_blob_read(size_t *nread, swr_blob_reader *r, void *buf, size_t len, swr_error **err);
SWR_EXTERN void swr_blob_reader_free(swr_blob_reader *r);

typedef struct swr_blob_writer swr_blob_writer;

/* Starts a streamed monolithic upload of blob `digest`, `size` bytes (-1:
 * unknown, sent chunked). Memory stays bounded: swr_blob_write() blocks while
 * the network is slower than the writer.
 * Ownership: free with swr_blob_writer_free(); freeing before a successful
 * commit aborts the upload. Thread safety: one thread at a time per writer. */
SWR_EXTERN int swr_blob_open_write(swr_blob_writer **out, swr_registry *reg, const char *repo, const char *digest,
                                   long long size, swr_error **err);
SWR_EXTERN int swr_blob_write(swr_blob_writer *w, const void *data, size_t len, swr_error **err);
/* Ends the data and waits for the registry. SWR_OK only once the registry
 * has accepted the blob under its digest. */
SWR_EXTERN int swr_blob_commit(swr_blob_writer *w, swr_error **err);
SWR_EXTERN void swr_blob_writer_free(swr_blob_writer *w);

/* Chunked uploads that survive failures (Harbor's PushBlobChunk). */
typedef struct swr_upload {
  char *location;     /* where the next chunk goes */
  long long offset;   /* bytes the registry holds */
} swr_upload;

/* Opens an upload session. Free *out with swr_upload_free(). */
SWR_EXTERN int swr_upload_start(swr_upload **out, swr_registry *reg, const char *repo, swr_error **err);
/* Asks the registry how much of the upload at `location` it holds (to resume after a failure). */
SWR_EXTERN int swr_upload_status(swr_upload **out, swr_registry *reg, const char *repo, const char *location,
                                 swr_error **err);
/* Commits the upload at `location` as blob `digest` (the registry checks it). */
SWR_EXTERN int swr_upload_finish(swr_registry *reg, const char *repo, const char *location, const char *digest,
                                 swr_error **err);
SWR_EXTERN int swr_upload_cancel(swr_registry *reg, const char *repo, const char *location, swr_error **err);
SWR_EXTERN void swr_upload_free(swr_upload *u);

typedef struct swr_chunk_writer swr_chunk_writer;
/* Streams one chunk of `length` bytes to `location`, starting at `offset`
 * (must equal what the registry holds). Same stream rules as the blob writer. */
SWR_EXTERN int swr_chunk_open(swr_chunk_writer **out, swr_registry *reg, const char *repo, const char *location,
                              long long offset, long long length, swr_error **err);
SWR_EXTERN int swr_chunk_write(swr_chunk_writer *w, const void *data, size_t len, swr_error **err);
/* Ends the chunk; *next (free with swr_upload_free()) says where the next one goes. */
SWR_EXTERN int swr_chunk_commit(swr_upload **next, swr_chunk_writer *w, swr_error **err);
SWR_EXTERN void swr_chunk_writer_free(swr_chunk_writer *w);

/* Cross-repository mount: *mounted is 1 when the registry mounted the blob
 * from `from_repo`, 0 when it declined (then upload instead). */
SWR_EXTERN int swr_blob_mount(int *mounted, swr_registry *reg, const char *repo, const char *digest,
                              const char *from_repo, swr_error **err);
/* A repository of this registry known (from this handle's copies and
 * checks) to hold `digest`, other than `except_repo` (may be NULL), for
 * swr_blob_mount(). SWR_ENOTFOUND when none. Free *repo_out with swr_string_free(). */
SWR_EXTERN int swr_blob_mount_source(char **repo_out, swr_registry *reg, const char *digest, const char *except_repo,
                                     swr_error **err);

/* ---- Copying images ---- */

typedef struct swr_copy_progress {
  long long bytes_done;   /* bytes of blobs present at the destination */
  long long bytes_total;  /* bytes of all blobs of the image */
  int blobs_done;
  int blobs_total;
} swr_copy_progress;

/* Called with progress at most every 100 ms and at each finished blob,
 * never two at once, from the library's threads; `progress` is valid during
 * the call only. Return non-zero to stop the copy (it fails with SWR_EUSER). */
typedef int (*swr_copy_progress_cb)(const swr_copy_progress *progress, void *payload);

#define SWR_COPY_OPTIONS_VERSION 2
typedef struct swr_copy_options {
  unsigned int version;        /* SWR_COPY_OPTIONS_VERSION */
  int parallel_blobs;          /* 0 = 4 */
  int blob_attempts;           /* 0 = 3 */
  long long chunk_size;        /* 0: one streamed PUT per blob; > 0: resumable chunks of this size */
  int verify_downloads;        /* non-zero: hash each blob as it is read too (the destination
                                  registry always checks the digest before accepting a blob) */
  swr_copy_progress_cb progress_cb;
  void *progress_payload;
  long long deadline_ms;       /* the whole copy fails with SWR_ETIMEOUT after this long; 0 = none */
  long long min_bytes_per_second; /* a blob transfer slower than this over the timeout window
                                     fails with SWR_ETIMEOUT naming the slow side; 0 = 65536,
                                     -1 = only a complete stall fails */
} swr_copy_options;
#define SWR_COPY_OPTIONS_INIT { SWR_COPY_OPTIONS_VERSION, 0, 0, 0, 0, NULL, NULL, 0, 0 }

typedef struct swr_copy_result {
  char *digest;          /* of the top-level manifest, equal at both ends */
  char *media_type;
  int already_present;   /* the destination already had this digest under the tag */
  long long bytes_copied;
  int blobs_copied;
  int blobs_mounted;
  int blobs_existing;
  int manifests_pushed;
} swr_copy_result;

/* Copies an image (manifest, or list/index with every child) from
 * `src`/`src_repo`:`src_ref` to `dst`/`dst_repo`:`dst_ref` (NULL or "": the
 * source tag, or the digest when copied by digest). Blobs the destination
 * has are skipped, blobs known in another destination repository are
 * mounted, the rest stream with bounded memory; manifests are pushed last,
 * only when every blob is present. `opts` may be NULL.
 * Ownership: free *out with swr_copy_result_free(). Thread safety: any
 * number of copies may run at once on the same handles. */
SWR_EXTERN int swr_copy(swr_copy_result **out, swr_registry *src, const char *src_repo, const char *src_ref,
                        swr_registry *dst, const char *dst_repo, const char *dst_ref, const swr_copy_options *opts,
                        swr_error **err);
SWR_EXTERN void swr_copy_result_free(swr_copy_result *r);

#ifdef __cplusplus
}
#endif

#endif /* SWR_SWR_H */
