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
  SWR_ENOMEM = -17       /* out of memory */
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

#define SWR_CLIENT_OPTIONS_VERSION 1
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
} swr_client_options;
#define SWR_CLIENT_OPTIONS_INIT { SWR_CLIENT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, 0, NULL, 0, NULL, NULL, NULL, NULL, SWR_LOG_WARN }

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

/* Creates an organization unless it exists; an existing one is SWR_OK. */
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

#ifdef __cplusplus
}
#endif

#endif /* SWR_SWR_H */
