/*
 * The Open Telekom Cloud SWR adapter: public C ABI (0.3).
 *
 * This header is the specification. Conventions (see each function):
 *  - Names are swr_<noun>_<verb>; types are swr_<noun>.
 *  - Fallible functions return int: SWR_OK (0) or a negative swr_error_code.
 *  - Output parameters come first; an optional `swr_error **err` comes last.
 *    When it is non-NULL and the call fails, *err receives a detailed error
 *    the caller frees with swr_error_free(). On success *err is set to NULL.
 *  - The library allocates and the library frees: every object handed out
 *    has its own _free function; every _free accepts NULL.
 *  - Input strings are borrowed for the duration of the call only.
 *  - "May be NULL" lists the pointer parameters that may be NULL; every
 *    other pointer parameter must not be (SWR_EINVALID when it is).
 *  - No C++ exception ever crosses this boundary, and the library never
 *    raises SIGPIPE: every socket write is flagged MSG_NOSIGNAL and every
 *    thread doing I/O blocks SIGPIPE while it does.
 *  - Secrets (SK, login keys, passwords, tokens, Authorization values) never
 *    appear in any message, log line or error this library produces:
 *    swr_error.message is redacted with the secrets of the handles involved
 *    before it is handed out, is one line, and at most 4 KiB.
 *  - Blocking calls take a `swr_cancel_token *cancel` (may be NULL): cancel
 *    it from any thread and the call returns SWR_ECANCELLED within a second,
 *    closing its sockets; the handles stay usable for other calls.
 */
#ifndef SWR_SWR_H
#define SWR_SWR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SWR_EXTERN __attribute__((visibility("default")))
#else
#define SWR_EXTERN
#endif

#define SWR_VERSION_MAJOR 0
#define SWR_VERSION_MINOR 3
#define SWR_VERSION_PATCH 0

/* ------------------------------------------------------------------ */
/* Errors                                                               */
/* ------------------------------------------------------------------ */

/* Return codes. New codes are only ever added at the end; none is removed. */
typedef enum swr_error_code {
  SWR_OK = 0,
  SWR_ERROR = -1,         /* unclassified failure */
  SWR_EINVALID = -2,      /* bad argument or bad input */
  SWR_ENOTFOUND = -3,     /* the object does not exist */
  SWR_EEXISTS = -4,       /* the object already exists */
  SWR_EAUTH = -5,         /* authentication failed (wrong AK/SK, expired signature) */
  SWR_EDENIED = -6,       /* authenticated, but not allowed */
  SWR_ERATELIMIT = -7,    /* rate limited (HTTP 429, SWR's 403 "too many requests") after all retries */
  SWR_ETIMEOUT = -8,      /* the operation timed out, or its deadline passed */
  SWR_EUNAVAILABLE = -9,  /* 5xx after all retries */
  SWR_EDIGEST = -10,      /* content does not match its digest or size */
  SWR_EPROTOCOL = -11,    /* the server answered something unexpected or hostile */
  SWR_EUNSUPPORTED = -12, /* the operation is not supported here */
  SWR_ECANCELLED = -13,   /* cancelled through a swr_cancel_token or a handle-wide cancel */
  SWR_EUSER = -14,        /* a callback asked to stop */
  SWR_ECONFLICT = -15,    /* the object is in a state that forbids it (e.g. not empty, a name taken) */
  SWR_ENETWORK = -16,     /* connection, DNS or TLS failure */
  SWR_ENOMEM = -17,       /* out of memory */
  SWR_EQUOTA = -18        /* an account quota is used up (e.g. SWR's 5 organizations) */
} swr_error_code;

/* Why an error happened, finer than its code: for programs to decide on
 * (hints, retries, error mapping) without reading the message. New reasons
 * are only ever added at the end. */
typedef enum swr_error_reason {
  SWR_REASON_NONE = 0,               /* the code says it all */
  SWR_REASON_TLS = 1,                /* TLS: certificate or handshake; not retried */
  SWR_REASON_DNS = 2,                /* the host name did not resolve */
  SWR_REASON_REFUSED = 3,            /* no connection (refused, unreachable) */
  SWR_REASON_CONNECTION = 4,         /* the connection broke */
  SWR_REASON_TIMEOUT = 5,            /* a timeout or the deadline */
  SWR_REASON_TOO_SLOW = 6,           /* a transfer below the minimum rate */
  SWR_REASON_AUTH = 7,               /* authentication failed */
  SWR_REASON_FORBIDDEN = 8,          /* authenticated, not allowed */
  SWR_REASON_NOT_FOUND = 9,          /* the object does not exist */
  SWR_REASON_RATE_LIMITED = 10,      /* rate limited */
  SWR_REASON_QUOTA = 11,             /* an account quota is used up */
  SWR_REASON_CONFLICT = 12,          /* the object's state forbids it */
  SWR_REASON_EXISTS = 13,            /* the object exists already */
  SWR_REASON_OCI_INDEX_REFUSED = 14, /* SWR refused an OCI image index (convert it to a Docker manifest list) */
  SWR_REASON_INVALID_INPUT = 15,     /* bad argument or input */
  SWR_REASON_SERVER = 16,            /* the server failed (5xx) */
  SWR_REASON_PROTOCOL = 17,          /* an unexpected or hostile answer */
  SWR_REASON_DIGEST_MISMATCH = 18,   /* content does not match its digest */
  SWR_REASON_UNSUPPORTED = 19,       /* not supported here */
  SWR_REASON_CANCELLED = 20,         /* cancelled */
  SWR_REASON_ABORTED = 21,           /* a callback asked to stop */
  SWR_REASON_OUT_OF_MEMORY = 22,     /* out of memory */
  SWR_REASON_INTERNAL = 23           /* an internal error */
} swr_error_reason;

typedef struct swr_error {
  int code;         /* a swr_error_code */
  int http_status;  /* 0 when no HTTP response was involved */
  char* message;    /* human-readable, one line, never NULL, never contains secrets */
  char* swr_code;   /* e.g. "SVCSTG.SWR.4040058" or "APIGW.0301"; "" when none */
  char* request_id; /* the server's request id; "" when none */
  int reason;       /* a swr_error_reason; never SWR_REASON_NONE */
  int retryable;    /* non-zero: the same call may succeed later (network trouble, timeouts,
                       rate limits, 5xx), after this call's own retries */
} swr_error;

/* Frees an error. Ownership: takes `err`. Thread safety: any thread.
 * May be NULL: err. */
SWR_EXTERN void swr_error_free(swr_error* err);

/* Static text for a code ("not found", ...); "unknown error code" for an
 * unknown one. Ownership: static, never free it. Thread safety: any thread. */
SWR_EXTERN const char* swr_error_string(int code);

/* Static name of a reason ("tls", "oci_index_refused", ...); "unknown" for
 * an unknown one. Ownership: static. Thread safety: any thread. */
SWR_EXTERN const char* swr_error_reason_string(int reason);

/* Frees a string returned by this library. Ownership: takes `s`.
 * Thread safety: any thread. May be NULL: s. */
SWR_EXTERN void swr_string_free(char* s);

/* ------------------------------------------------------------------ */
/* Version                                                              */
/* ------------------------------------------------------------------ */

/* The run-time version, e.g. "0.3.0"; compare with SWR_VERSION_* to detect a
 * header/library mismatch. Ownership: static. Thread safety: any thread.
 * May be NULL: major, minor, patch. */
SWR_EXTERN const char* swr_version(int* major, int* minor, int* patch);

/* ------------------------------------------------------------------ */
/* Cancellation                                                         */
/* ------------------------------------------------------------------ */

/* One call's (or a group of calls') cancellation: pass it to blocking calls,
 * cancel it from any thread. A stream (blob reader or writer, chunk writer)
 * opened with a token stays bound to it for its whole life. */
typedef struct swr_cancel_token swr_cancel_token;

/* Creates a token. Returns SWR_OK or SWR_ENOMEM. Ownership: free *out with
 * swr_cancel_token_free(). Thread safety: any thread. */
SWR_EXTERN int swr_cancel_token_new(swr_cancel_token** out, swr_error** err);

/* Cancels every call and stream using the token, now and later. Idempotent;
 * safe from any thread, also while the calls finish. Calls already finished
 * are not affected. Thread safety: any thread. May be NULL: token. */
SWR_EXTERN void swr_cancel_token_cancel(swr_cancel_token* token);

/* 1 once swr_cancel_token_cancel() was called, else 0.
 * Thread safety: any thread. May be NULL: token (0). */
SWR_EXTERN int swr_cancel_token_cancelled(const swr_cancel_token* token);

/* Frees a token. Calls using it may still be running (they keep what they
 * need), but no thread may call swr_cancel_token_cancel() on it any more.
 * Ownership: takes `token`. May be NULL: token. */
SWR_EXTERN void swr_cancel_token_free(swr_cancel_token* token);

/* ------------------------------------------------------------------ */
/* Logging                                                              */
/* ------------------------------------------------------------------ */

typedef enum swr_log_level { SWR_LOG_ERROR = 0, SWR_LOG_WARN = 1, SWR_LOG_INFO = 2, SWR_LOG_DEBUG = 3 } swr_log_level;

/* Receives one already-redacted log line. `message` is valid only during
 * the call. Threads: the thread of the call that logs, or one of the
 * library's own threads (blob downloads, blob and chunk writers, copy
 * workers), possibly several at once; never after the handle's _free()
 * returns. The library holds none of its locks while calling it: it may call
 * back into the library (and may block briefly, which holds up that call). */
typedef void (*swr_log_cb)(int level, const char* message, void* payload);

/* ------------------------------------------------------------------ */
/* AK/SK signing and the login key (no client needed)                   */
/* ------------------------------------------------------------------ */

typedef enum swr_signature_format {
  SWR_SIGN_ACCESS = 0,    /* "SDK-HMAC-SHA256 Access=AK, ..." (default) */
  SWR_SIGN_CREDENTIAL = 1 /* "SDK-HMAC-SHA256 Credential=AK/date/region/service/sdk_request, ..." */
} swr_signature_format;

typedef struct swr_header {
  const char* name;
  const char* value;
} swr_header;

#define SWR_SIGN_REQUEST_VERSION 2
typedef struct swr_sign_request {
  uint32_t version;          /* SWR_SIGN_REQUEST_VERSION */
  const char* method;        /* "GET", ... */
  const char* url;           /* full URL with query */
  const swr_header* headers; /* headers to send; a "Host" wins over the URL's host;
                                an "X-Sdk-Date" is used as the signing time */
  size_t header_count;
  const void* body; /* may be NULL when body_len is 0 */
  size_t body_len;
  const char* access_key;
  const char* secret_key;
  const char* sdk_date;       /* "YYYYMMDDTHHMMSSZ" (years 1970-2200); NULL: the current time */
  int format;                 /* a swr_signature_format */
  const char* region;         /* credential format only; NULL = "" */
  const char* service;        /* credential format only; NULL = "" */
  const char* signed_headers; /* "host;x-sdk-date"; NULL: host, x-sdk-date and every header given */
} swr_sign_request;

/* Fills `request` with defaults for `version`. Returns SWR_OK, or
 * SWR_EINVALID for NULL or an unknown version. Thread safety: any thread. */
SWR_EXTERN int swr_sign_request_init(swr_sign_request* request, uint32_t version);

typedef struct swr_signature {
  char* authorization;     /* the Authorization header value (a secret while it is valid) */
  char* sdk_date;          /* the X-Sdk-Date header value to send */
  char* host;              /* the Host header value that was signed */
  char* canonical_request; /* for debugging */
  char* string_to_sign;    /* for debugging */
} swr_signature;

/* Signs one request with SDK-HMAC-SHA256.
 * Returns SWR_OK, or SWR_EINVALID for a bad URL, header or date.
 * Ownership: *out belongs to the caller; free with swr_signature_free().
 * Thread safety: any thread. */
SWR_EXTERN int swr_request_sign(swr_signature** out, const swr_sign_request* request, swr_error** err);
/* Ownership: takes `sig`. May be NULL: sig. */
SWR_EXTERN void swr_signature_free(swr_signature* sig);

/* The long-term docker login key: lower-case hex HMAC-SHA256(key = SK,
 * message = AK). Returns SWR_OK or SWR_EINVALID (empty AK or SK).
 * Ownership: free *out with swr_string_free(). Thread safety: any thread. */
SWR_EXTERN int swr_login_key_derive(char** out, const char* access_key, const char* secret_key, swr_error** err);

/* ------------------------------------------------------------------ */
/* Connections: what every client and registry handle is made of        */
/* ------------------------------------------------------------------ */

/* TLS, timeouts, retries, proxy, buffers and logging of one connection;
 * embedded in swr_client_options and swr_registry_options (their _init()
 * fills it with the defaults). Strings are copied. */
typedef struct swr_connection_options {
  int insecure;                 /* non-zero: do not verify TLS certificates */
  int allow_plain_http;         /* non-zero: allow http:// to a host other than this machine */
  int allow_insecure_redirects; /* non-zero: follow https -> http blob redirects */
  const char* ca_pem;           /* optional: CA certificates (PEM text) trusted besides the system's */
  uint32_t timeout_ms;          /* per request, and the stall limit of streams; 0 = 60000 */
  uint32_t max_attempts;        /* for idempotent requests, first try included; 0 = 4, at most 20 */
  const char* user_agent;       /* NULL = "otc-swr-adapter/<version>" */
  const char* proxy;            /* NULL = the environment's (https_proxy, HTTPS_PROXY, http_proxy,
                                   NO_PROXY; never upper-case HTTP_PROXY); else every request goes
                                   through this proxy URL ("http://host:3128", "socks5h://...") */
  size_t buffer_bytes;          /* memory per blob stream; 0 = 256 KiB, at most 1 GiB */
  double requests_per_second;   /* request starts per second; 0 = the default: 20 (SWR's limit per
                                   tenant) for a client on an SWR host, none otherwise; < 0 = none.
                                   Clients of one process for the same registry and project share
                                   one limit, and 429/503 slow them all down together */
  swr_log_cb log_cb;            /* optional */
  void* log_payload;
  int log_level; /* highest level passed to log_cb */
} swr_connection_options;

/* ------------------------------------------------------------------ */
/* Client: one SWR region with its credentials                          */
/* ------------------------------------------------------------------ */

typedef struct swr_client swr_client;

/* What a client's access_secret is. SWR_SECRET_AUTO decides by its shape:
 * "temp:<password>" is a temporary docker login password (from
 * swr_temporary_login_create() or SWR's console), 64 hex digits a long-term
 * login key, anything else the SK. A temporary password is never taken for
 * an SK: give it with the "temp:" marker (e.g. in a Harbor endpoint's Access
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

#define SWR_CLIENT_OPTIONS_VERSION 5
typedef struct swr_client_options {
  uint32_t version;                  /* SWR_CLIENT_OPTIONS_VERSION */
  const char* registry_url;          /* "https://swr.eu-de.otc.t-systems.com"; no scheme means https */
  const char* access_id;             /* "<project name>@<AK>", e.g. "eu-de@AK..." */
  const char* access_secret;         /* the SK, a login key, or "temp:" + a temporary password */
  int secret_kind;                   /* a swr_secret_kind: what access_secret is */
  const char* project_id;            /* optional: sent and signed as X-Project-Id */
  const char* management_url;        /* optional: the API host when not derived from registry_url
                                        (swr.<region>... -> swr-api.<region>...; other hosts: the same host) */
  int signature_format;              /* a swr_signature_format */
  const char* region;                /* credential format scope; NULL = "" */
  const char* service;               /* credential format scope; NULL = "" */
  swr_connection_options connection; /* for the registry and the management API */
} swr_client_options;

/* Fills `opts` with defaults for `version`. Returns SWR_OK, or SWR_EINVALID
 * for NULL or an unknown version. Thread safety: any thread. */
SWR_EXTERN int swr_client_options_init(swr_client_options* opts, uint32_t version);

/* Creates a client. Checks the options (URL, Access ID "<project>@<AK>",
 * secret) but makes no network call. Returns SWR_OK or SWR_EINVALID.
 * Ownership: *out is freed with swr_client_free(); the options and their
 * strings are copied. Thread safety: a client may be used by any number of
 * threads at once. */
SWR_EXTERN int swr_client_new(swr_client** out, const swr_client_options* opts, swr_error** err);

/* Frees a client (and its registry, see swr_client_registry()). No call on
 * it, its registry or their streams may be in progress. Ownership: takes
 * `client`. May be NULL: client. */
SWR_EXTERN void swr_client_free(swr_client* client);

/* The resolved swr_secret_kind of the client's access_secret (never
 * SWR_SECRET_AUTO); SWR_SECRET_AUTO for NULL. Thread safety: any thread. */
SWR_EXTERN int swr_client_secret_kind(const swr_client* client);

/* Cancels every call in progress on the client and its registry, streams
 * included, and every later one (they fail with SWR_ECANCELLED): for
 * shutdown; single calls are cancelled with a swr_cancel_token. Terminal.
 * Thread safety: any thread, also while calls run. May be NULL: client. */
SWR_EXTERN void swr_client_cancel_all(swr_client* client);

/* ------------------------------------------------------------------ */
/* Organizations, repositories and tags (SWR's management API)          */
/* ------------------------------------------------------------------ */
/* Every function here: Thread safety: any number of threads on one client.
 * May be NULL: cancel, err. */

typedef struct swr_organization {
  int64_t id;
  char* name;
  char* creator_name;
  int auth; /* 7 manage, 3 write, 1 read */
} swr_organization;

typedef struct swr_organization_list {
  swr_organization* items;
  size_t count;
} swr_organization_list;

/* Creates an organization. Returns SWR_OK; SWR_EEXISTS when this account
 * has it; SWR_ECONFLICT when another account holds the name (names are
 * unique in a region across all accounts); SWR_EQUOTA when the account holds
 * SWR's maximum (5 on OTC); SWR_EINVALID for a name SWR would refuse. */
SWR_EXTERN int swr_org_create(swr_client* client, const char* name, swr_cancel_token* cancel, swr_error** err);

/* As swr_org_create(), but an organization this account has is SWR_OK.
 * Concurrent calls for one name are safe. */
SWR_EXTERN int swr_org_ensure(swr_client* client, const char* name, swr_cancel_token* cancel, swr_error** err);

/* Forgets what swr_org_ensure() remembers of `name` (it remembers an
 * organization for 10 minutes): call it when SWR says the organization is
 * gone (deleted outside this process), then ensure it again. Thread safety:
 * any thread. May be NULL: client, name. */
SWR_EXTERN void swr_org_forget(swr_client* client, const char* name);

/* Deletes an organization: SWR_ENOTFOUND when missing, SWR_ECONFLICT while
 * it holds repositories, SWR_EUNSUPPORTED without the SK. */
SWR_EXTERN int swr_org_delete(swr_client* client, const char* name, swr_cancel_token* cancel, swr_error** err);

/* One organization of this account (SWR_ENOTFOUND otherwise).
 * Ownership: free *out with swr_organization_free(). */
SWR_EXTERN int swr_org_get(swr_organization** out, swr_client* client, const char* name, swr_cancel_token* cancel,
                           swr_error** err);
/* Ownership: takes `org`. May be NULL: org. */
SWR_EXTERN void swr_organization_free(swr_organization* org);

/* The organizations of this account. Ownership: free *out with
 * swr_organization_list_free(). */
SWR_EXTERN int swr_org_list(swr_organization_list** out, swr_client* client, swr_cancel_token* cancel, swr_error** err);
/* Ownership: takes `list`. May be NULL: list. */
SWR_EXTERN void swr_organization_list_free(swr_organization_list* list);

typedef struct swr_repository {
  char* organization; /* "team" */
  char* name;         /* the path inside the organization: "app", "group/app" */
  char* category;     /* SWR's category ("other", "linux", ...) */
  int is_public;
  int64_t num_images; /* tags */
  int64_t size;       /* bytes, as SWR reports them */
  char* created_at;   /* as SWR sends it (RFC 3339); "" when absent */
  char* updated_at;
} swr_repository;

typedef struct swr_repositories {
  swr_repository* items;
  size_t count;
} swr_repositories;

/* The repositories of one organization (`organization` non-NULL) or of all
 * of this account's, every page, each once, in name order.
 * Ownership: free *out with swr_repositories_free().
 * May be NULL: organization. */
SWR_EXTERN int swr_repository_list(swr_repositories** out, swr_client* client, const char* organization,
                                   swr_cancel_token* cancel, swr_error** err);
/* Ownership: takes `list`. May be NULL: list. */
SWR_EXTERN void swr_repositories_free(swr_repositories* list);

typedef struct swr_tag_info {
  char* tag;
  char* digest;  /* of the manifest the tag names */
  int64_t size;  /* the image: config plus layers, as SWR reports it */
  int tag_type;  /* 0 a manifest, 1 a manifest list */
  char* created; /* as SWR sends it; "" when absent */
  char* updated;
} swr_tag_info;

typedef struct swr_tag_info_list {
  swr_tag_info* items;
  size_t count;
} swr_tag_info_list;

/* The tags of a repository with SWR's details, every page, each once.
 * Needs the SK (SWR_EUNSUPPORTED with a login key).
 * Ownership: free *out with swr_tag_info_list_free(). */
SWR_EXTERN int swr_repository_tag_list(swr_tag_info_list** out, swr_client* client, const char* organization,
                                       const char* repository, swr_cancel_token* cancel, swr_error** err);
/* Ownership: takes `list`. May be NULL: list. */
SWR_EXTERN void swr_tag_info_list_free(swr_tag_info_list* list);

/* Deleting images. Which call each delete uses:
 *  - swr_repository_tag_delete(): the management API, DELETE
 *    /v2/manage/namespaces/{org}/repos/{repo}/tags/{tag} (documented; 204).
 *  - swr_repository_delete(): the management API, DELETE
 *    /v2/manage/namespaces/{org}/repos/{repo} (documented; every image).
 *  - swr_manifest_delete(): the registry API, DELETE /v2/<repo>/manifests/<digest>
 *    (works on Docker distribution; no public source says SWR accepts it:
 *    prefer swr_repository_tag_delete() for SWR).
 * An organization can be deleted (swr_org_delete) once its repositories are
 * gone. Both need the SK (SWR_EUNSUPPORTED without it); SWR_ENOTFOUND when
 * the tag or repository is missing. */
SWR_EXTERN int swr_repository_tag_delete(swr_client* client, const char* organization, const char* repository,
                                         const char* tag, swr_cancel_token* cancel, swr_error** err);
SWR_EXTERN int swr_repository_delete(swr_client* client, const char* organization, const char* repository,
                                     swr_cancel_token* cancel, swr_error** err);

typedef struct swr_docker_login {
  char* username;   /* "<project>@<AK>" as SWR gives it */
  char* password;   /* a secret: give it to docker, or to a client as "temp:" + password; never log it */
  char* registry;   /* the registry host SWR names; "" when it does not */
  char* expires_at; /* SWR's X-Swr-Expireat as sent; "" when absent */
} swr_docker_login;

/* A temporary docker login, valid for hours (POST /v2/manage/utils/secret).
 * Needs the SK. The client's redactor learns the password.
 * Ownership: free *out with swr_docker_login_free(). */
SWR_EXTERN int swr_temporary_login_create(swr_docker_login** out, swr_client* client, swr_cancel_token* cancel,
                                          swr_error** err);
/* Clears the password's memory, then frees. Ownership: takes `login`.
 * May be NULL: login. */
SWR_EXTERN void swr_docker_login_free(swr_docker_login* login);

/* ------------------------------------------------------------------ */
/* Registries: any Docker Registry V2 / OCI distribution endpoint       */
/* ------------------------------------------------------------------ */

typedef struct swr_registry swr_registry;

#define SWR_REGISTRY_OPTIONS_VERSION 4
typedef struct swr_registry_options {
  uint32_t version;     /* SWR_REGISTRY_OPTIONS_VERSION */
  const char* url;      /* "https://host[:port]", or "http://..." for plain HTTP */
  const char* username; /* NULL or "": anonymous */
  const char* password;
  swr_connection_options connection;
} swr_registry_options;

/* Fills `opts` with defaults for `version`. Returns SWR_OK, or SWR_EINVALID
 * for NULL or an unknown version. Thread safety: any thread. */
SWR_EXTERN int swr_registry_options_init(swr_registry_options* opts, uint32_t version);

/* Creates a registry handle; no network call. Returns SWR_OK or SWR_EINVALID.
 * Ownership: free *out with swr_registry_free(); options are copied.
 * Thread safety: a handle may be used by any number of threads at once. */
SWR_EXTERN int swr_registry_new(swr_registry** out, const swr_registry_options* opts, swr_error** err);

/* Frees a registry. No call on it or its streams may be in progress.
 * Ownership: takes `reg` (not for swr_client_registry()'s).
 * May be NULL: reg. */
SWR_EXTERN void swr_registry_free(swr_registry* reg);

/* The SWR registry of a client ("<project>@<AK>" and the login key).
 * Ownership: borrowed; valid until swr_client_free(client); never free it.
 * Thread safety: any thread. NULL for a NULL client. */
SWR_EXTERN swr_registry* swr_client_registry(swr_client* client);

/* Cancels every call in progress on the registry (streams included) and
 * every later one: for shutdown. Terminal. Thread safety: any thread, also
 * while calls run. May be NULL: reg. */
SWR_EXTERN void swr_registry_cancel_all(swr_registry* reg);

/* Every function below on a swr_registry: Thread safety: any number of
 * threads on one handle. May be NULL: cancel, err, and those listed. */

/* Checks reachability and credentials at /v2/. */
SWR_EXTERN int swr_registry_ping(swr_registry* reg, swr_cancel_token* cancel, swr_error** err);

/* ---- Manifests and tags ---- */

typedef struct swr_manifest {
  char* digest; /* "sha256:..." (or "sha512:...") */
  char* media_type;
  void* data;  /* the manifest bytes; NULL from swr_manifest_head() */
  size_t size; /* bytes of the manifest */
} swr_manifest;

/* Existence and digest of a manifest by tag or digest; SWR_ENOTFOUND when
 * absent. The digest is the registry's Docker-Content-Digest, or the hash of
 * the body when the registry sends none (or an invalid one).
 * Ownership: free *out with swr_manifest_free(). */
SWR_EXTERN int swr_manifest_head(swr_manifest** out, swr_registry* reg, const char* repo, const char* ref,
                                 swr_cancel_token* cancel, swr_error** err);
/* Downloads a manifest (at most 4 MiB), checked against its digest
 * (SWR_EDIGEST). Ownership: free *out with swr_manifest_free().
 * May be NULL: accept (Docker schema 2, lists, OCI manifests and indexes,
 * schema 1). */
SWR_EXTERN int swr_manifest_get(swr_manifest** out, swr_registry* reg, const char* repo, const char* ref,
                                const char* accept, swr_cancel_token* cancel, swr_error** err);
/* Uploads a manifest under `ref` (a tag, or its own digest). SWR's refusal
 * of OCI indexes comes back as SWR_EINVALID with SWR's message.
 * Ownership: free *digest_out with swr_string_free(). May be NULL:
 * digest_out, data when size is 0. */
SWR_EXTERN int swr_manifest_put(char** digest_out, swr_registry* reg, const char* repo, const char* ref,
                                const char* media_type, const void* data, size_t size, swr_cancel_token* cancel,
                                swr_error** err);
/* Deletes a manifest through the registry API; a tag is resolved to its
 * digest first (see "Deleting images" above for SWR). */
SWR_EXTERN int swr_manifest_delete(swr_registry* reg, const char* repo, const char* ref, swr_cancel_token* cancel,
                                   swr_error** err);
/* Ownership: takes `m`. May be NULL: m. */
SWR_EXTERN void swr_manifest_free(swr_manifest* m);

typedef struct swr_string_list {
  char** items;
  size_t count;
} swr_string_list;

/* All tags of a repository (every page, each once; invalid names a registry
 * sends are left out). SWR answers an empty list for a repository without
 * tags. Ownership: free *out with swr_string_list_free(). */
SWR_EXTERN int swr_tag_list(swr_string_list** out, swr_registry* reg, const char* repo, swr_cancel_token* cancel,
                            swr_error** err);
/* Ownership: takes `list`. May be NULL: list. */
SWR_EXTERN void swr_string_list_free(swr_string_list* list);

/* ---- Blobs ---- */

/* *exists is 1 and *size the blob's size (-1 when the registry does not
 * say) when the repository has the blob, else 0. Returns SWR_OK in both
 * cases. May be NULL: size. */
SWR_EXTERN int swr_blob_stat(int* exists, int64_t* size, swr_registry* reg, const char* repo, const char* digest,
                             swr_cancel_token* cancel, swr_error** err);

typedef struct swr_blob_reader swr_blob_reader;

/* Opens a streamed download from `offset`, `length` bytes (-1: to the end).
 * A whole-blob read is verified as it flows: the read that would end the
 * stream fails with SWR_EDIGEST instead when size or digest differ. The
 * reader stays bound to `cancel`. Ownership: free with
 * swr_blob_reader_free(), which abandons the download. */
SWR_EXTERN int swr_blob_reader_open(swr_blob_reader** out, swr_registry* reg, const char* repo, const char* digest,
                                    int64_t offset, int64_t length, swr_cancel_token* cancel, swr_error** err);
/* Bytes this reader will deliver, or -1 when the registry did not say.
 * May be NULL: r (-1). */
SWR_EXTERN int64_t swr_blob_reader_size(const swr_blob_reader* r);
/* Reads up to `len` bytes; blocks until at least one is there. *nread is 0
 * at the end of the blob. Thread safety: one thread at a time per reader.
 * May be NULL: buf when len is 0. */
SWR_EXTERN int swr_blob_reader_read(size_t* nread, swr_blob_reader* r, void* buf, size_t len, swr_error** err);
/* Ownership: takes `r`. Thread safety: not while a read on it runs.
 * May be NULL: r. */
SWR_EXTERN void swr_blob_reader_free(swr_blob_reader* r);

typedef struct swr_blob_writer swr_blob_writer;

/* Starts a streamed monolithic upload of blob `digest`, `size` bytes (-1:
 * unknown, sent chunked). Memory stays bounded: swr_blob_writer_write()
 * blocks while the network is slower than the writer. The writer stays
 * bound to `cancel`. Ownership: free with swr_blob_writer_free(); freeing
 * before a successful commit aborts the upload. */
SWR_EXTERN int swr_blob_writer_open(swr_blob_writer** out, swr_registry* reg, const char* repo, const char* digest,
                                    int64_t size, swr_cancel_token* cancel, swr_error** err);
/* Writes `len` bytes. When the upload has ended early (the registry refused
 * it, the connection broke), fails with what the registry said.
 * Thread safety: one thread at a time per writer. May be NULL: data when len is 0. */
SWR_EXTERN int swr_blob_writer_write(swr_blob_writer* w, const void* data, size_t len, swr_error** err);
/* Ends the data and waits for the registry: SWR_OK only once it has
 * accepted the blob under its digest. */
SWR_EXTERN int swr_blob_writer_commit(swr_blob_writer* w, swr_error** err);
/* Ownership: takes `w`. Thread safety: not while a write on it runs.
 * May be NULL: w. */
SWR_EXTERN void swr_blob_writer_free(swr_blob_writer* w);

/* ---- Resumable uploads (Harbor's PushBlobChunk) ---- */

typedef struct swr_upload {
  char* location; /* where the next chunk goes */
  int64_t offset; /* bytes the registry holds */
} swr_upload;

/* Opens an upload session. Ownership: free *out with swr_upload_free(). */
SWR_EXTERN int swr_upload_start(swr_upload** out, swr_registry* reg, const char* repo, swr_cancel_token* cancel,
                                swr_error** err);
/* Asks the registry how much of the upload at `location` it holds (to
 * resume after a failure). Ownership: free *out with swr_upload_free(). */
SWR_EXTERN int swr_upload_status(swr_upload** out, swr_registry* reg, const char* repo, const char* location,
                                 swr_cancel_token* cancel, swr_error** err);
/* Commits the upload at `location` as blob `digest` (the registry checks it). */
SWR_EXTERN int swr_upload_finish(swr_registry* reg, const char* repo, const char* location, const char* digest,
                                 swr_cancel_token* cancel, swr_error** err);
/* Abandons the upload at `location` (a gone session is SWR_OK). */
SWR_EXTERN int swr_upload_abort(swr_registry* reg, const char* repo, const char* location, swr_cancel_token* cancel,
                                swr_error** err);
/* Ownership: takes `u`. May be NULL: u. */
SWR_EXTERN void swr_upload_free(swr_upload* u);

typedef struct swr_chunk_writer swr_chunk_writer;
/* Streams one chunk of `length` bytes to `location`, starting at `offset`
 * (which must be what the registry holds). Same stream rules as the blob
 * writer. Ownership: free with swr_chunk_writer_free(). */
SWR_EXTERN int swr_chunk_writer_open(swr_chunk_writer** out, swr_registry* reg, const char* repo, const char* location,
                                     int64_t offset, int64_t length, swr_cancel_token* cancel, swr_error** err);
/* As swr_blob_writer_write(). */
SWR_EXTERN int swr_chunk_writer_write(swr_chunk_writer* w, const void* data, size_t len, swr_error** err);
/* Ends the chunk; *next says where the next one goes and how much the
 * registry holds. Ownership: free *next with swr_upload_free().
 * May be NULL: next. */
SWR_EXTERN int swr_chunk_writer_commit(swr_upload** next, swr_chunk_writer* w, swr_error** err);
/* Ownership: takes `w`. May be NULL: w. */
SWR_EXTERN void swr_chunk_writer_free(swr_chunk_writer* w);

/* ---- Cross-repository mounts ---- */

/* *mounted is 1 when the registry mounted the blob from `from_repo`, 0 when
 * it declined (then upload instead). */
SWR_EXTERN int swr_blob_mount(int* mounted, swr_registry* reg, const char* repo, const char* digest,
                              const char* from_repo, swr_cancel_token* cancel, swr_error** err);
/* A repository of this registry known (from this handle's stats, uploads,
 * mounts and copies) to hold `digest`, other than `except_repo`, for
 * swr_blob_mount(); SWR_ENOTFOUND when none. No network call.
 * Ownership: free *repo_out with swr_string_free(). May be NULL: except_repo. */
SWR_EXTERN int swr_mount_source_find(char** repo_out, swr_registry* reg, const char* digest, const char* except_repo,
                                     swr_error** err);

/* ---- Copying images ---- */

typedef struct swr_copy_progress {
  int64_t bytes_done;  /* bytes of blobs present at the destination */
  int64_t bytes_total; /* bytes of all blobs of the image */
  int blobs_done;
  int blobs_total;
} swr_copy_progress;

/* Called with progress at most every 100 ms and at each finished blob, never
 * two at once and in order, from the copy's worker threads or the calling
 * thread; `progress` is valid during the call only. The library holds none
 * of the locks a call back into it would need. Return non-zero to stop the
 * copy (it fails with SWR_EUSER). */
typedef int (*swr_copy_progress_cb)(const swr_copy_progress* progress, void* payload);

#define SWR_COPY_OPTIONS_VERSION 3
typedef struct swr_copy_options {
  uint32_t version;             /* SWR_COPY_OPTIONS_VERSION */
  int parallel_blobs;           /* blobs in flight at once; 0 = 4, at most 64 */
  int blob_attempts;            /* tries per blob; 0 = 3, at most 20 */
  int64_t chunk_size;           /* 0: one streamed PUT per blob; > 0: resumable chunks of this size */
  int verify_downloads;         /* non-zero: hash each blob as it is read too (the destination
                                   registry always checks the digest before accepting a blob) */
  int64_t deadline_ms;          /* the whole copy fails with SWR_ETIMEOUT after this long; 0 = none */
  int64_t min_bytes_per_second; /* a blob transfer slower than this over the timeout window
                                   fails with SWR_ETIMEOUT naming the slow side; 0 = 65536,
                                   -1 = only a complete stall fails */
  swr_copy_progress_cb progress_cb;
  void* progress_payload;
} swr_copy_options;

/* Fills `opts` with defaults for `version`. Returns SWR_OK, or SWR_EINVALID
 * for NULL or an unknown version. Thread safety: any thread. */
SWR_EXTERN int swr_copy_options_init(swr_copy_options* opts, uint32_t version);

typedef struct swr_copy_result {
  char* digest; /* of the top-level manifest, equal at both ends */
  char* media_type;
  int already_present; /* the destination already had this digest under the tag */
  int64_t bytes_copied;
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
 * only when every blob is present. Ownership: free *out with
 * swr_copy_result_free(). Thread safety: any number of copies may run at
 * once on the same handles. May be NULL: dst_ref, opts (defaults). */
SWR_EXTERN int swr_image_copy(swr_copy_result** out, swr_registry* src, const char* src_repo, const char* src_ref,
                              swr_registry* dst, const char* dst_repo, const char* dst_ref,
                              const swr_copy_options* opts, swr_cancel_token* cancel, swr_error** err);
/* Ownership: takes `r`. May be NULL: r. */
SWR_EXTERN void swr_copy_result_free(swr_copy_result* r);

#ifdef __cplusplus
}
#endif

#endif /* SWR_SWR_H */
