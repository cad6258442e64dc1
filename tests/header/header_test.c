/* Compiled as strict C99 with -pedantic -Werror: the public header must be
 * plain C. It also runs: the C ABI signs a published vector and derives a
 * login key, and NULL-safety of the _free functions holds. */
#include <stdio.h>
#include <string.h>

#include <swr/swr.h>

static int check(int cond, const char* what) {
  if (!cond) fprintf(stderr, "FAILED: %s\n", what);
  return cond ? 0 : 1;
}

int main(void) {
  int failures = 0, major = -1;
  swr_signature* sig = NULL;
  swr_error* err = NULL;
  char* key = NULL;
  swr_header headers[2];
  swr_sign_request req;
  swr_sign_request_init(&req, SWR_SIGN_REQUEST_VERSION);
  swr_client_options opts;
  swr_client_options_init(&opts, SWR_CLIENT_OPTIONS_VERSION);
  swr_client* client = NULL;
  swr_cancel_token* token = NULL;
  char version[32];

  snprintf(version, sizeof version, "%d.%d.%d", SWR_VERSION_MAJOR, SWR_VERSION_MINOR, SWR_VERSION_PATCH);
  failures += check(strcmp(swr_version(&major, NULL, NULL), version) == 0, "version string");
  failures += check(major == SWR_VERSION_MAJOR, "version major");

  failures += check(swr_cancel_token_new(&token, NULL) == SWR_OK && token != NULL, "cancel token");
  failures += check(swr_cancel_token_cancelled(token) == 0, "not cancelled yet");
  swr_cancel_token_cancel(token);
  swr_cancel_token_cancel(token);
  failures += check(swr_cancel_token_cancelled(token) == 1, "cancelled, idempotently");
  swr_cancel_token_free(token);

  headers[0].name = "Host";
  headers[0].value = "service.endpoint.myhuaweicloud.com";
  headers[1].name = "X-Sdk-Date";
  headers[1].value = "20200608T023900Z";
  req.method = "GET";
  req.url = "https://service.endpoint.myhuaweicloud.com/resources?size=1";
  req.headers = headers;
  req.header_count = 2;
  req.access_key = "AccessKey";
  req.secret_key = "SecretKey";
  failures += check(swr_request_sign(&sig, &req, &err) == SWR_OK, "swr_sign PY1");
  failures += check(err == NULL, "no error on success");
  failures +=
      check(sig != NULL && strcmp(sig->authorization,
                                  "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, "
                                  "Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842") == 0,
            "PY1 authorization");
  swr_signature_free(sig);

  req.url = "not a url ::";
  sig = NULL;
  failures += check(swr_request_sign(&sig, &req, &err) == SWR_EINVALID, "bad url is EINVALID");
  failures += check(err != NULL && err->code == SWR_EINVALID && err->message[0] != '\0', "error details");
  swr_error_free(err);
  err = NULL;

  failures += check(swr_login_key_derive(&key, "AccessKey", "SecretKey", NULL) == SWR_OK, "login key");
  failures += check(key && strcmp(key, "f004a0445bcaf37d946c882a22e1e5f9007ea3513c293aa2d3360af05b8875cd") == 0,
                    "login key value");
  swr_string_free(key);

  opts.registry_url = "https://swr.eu-de.otc.t-systems.com";
  opts.access_id = "eu-de-without-at";
  opts.access_secret = "x";
  failures += check(swr_client_new(&client, &opts, &err) == SWR_EINVALID, "bad access id");
  failures += check(client == NULL, "no client on error");
  swr_error_free(err);

  failures += check(strcmp(swr_error_string(SWR_ENOTFOUND), "not found") == 0, "strerror");
  swr_error_free(NULL);
  swr_string_free(NULL);
  swr_signature_free(NULL);
  swr_client_free(NULL);
  swr_organization_free(NULL);
  swr_organization_list_free(NULL);
  swr_repositories_free(NULL);
  swr_tag_info_list_free(NULL);
  swr_docker_login_free(NULL);
  swr_cancel_token_free(NULL);
  swr_cancel_token_cancel(NULL);
  swr_registry_free(NULL);
  swr_registry_cancel_all(NULL);
  swr_client_cancel_all(NULL);
  swr_blob_reader_free(NULL);
  swr_blob_writer_free(NULL);
  swr_chunk_writer_free(NULL);
  swr_upload_free(NULL);
  swr_manifest_free(NULL);
  swr_string_list_free(NULL);
  swr_copy_result_free(NULL);
  failures += check(swr_client_options_init(NULL, SWR_CLIENT_OPTIONS_VERSION) == SWR_EINVALID, "init NULL");
  failures += check(swr_client_options_init(&opts, 999) == SWR_EINVALID, "init unknown version");

  printf("%d passed, %d failed\n", failures ? 0 : 1, failures ? 1 : 0);
  return failures ? 1 : 0;
}
