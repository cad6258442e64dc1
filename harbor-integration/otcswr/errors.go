package otcswr

import (
	"errors"
	"fmt"
	"net/http"

	commonhttp "github.com/goharbor/harbor/src/common/http"
	liberrors "github.com/goharbor/harbor/src/lib/errors"

	swr "github.com/opentelekomcloud/swr-adapter/sdk-shim"
)

// rateLimitCode is lib/errors.RateLimitCode, spelled out: Harbor v2.4.0
// does not have the constant, later versions test for this string.
const rateLimitCode = "TOO_MANY_REQUEST"

// harborCode is the lib/errors code for a library error code, so that
// Harbor's errors.IsNotFoundErr, IsRateLimitError and friends react as they
// do to its native adapter.
func harborCode(e *swr.Error) string {
	if e.Reason == swr.ReasonOCIIndexRefused {
		return liberrors.BadRequestCode
	}
	switch e.Code {
	case swr.CodeNotFound:
		return liberrors.NotFoundCode
	case swr.CodeAuth:
		return liberrors.UnAuthorizedCode
	case swr.CodeDenied, swr.CodeQuota:
		return liberrors.ForbiddenCode
	case swr.CodeRateLimit:
		return rateLimitCode
	case swr.CodeExists, swr.CodeConflict:
		return liberrors.ConflictCode
	case swr.CodeInvalid:
		return liberrors.BadRequestCode
	case swr.CodeUnsupported:
		return liberrors.MethodNotAllowedCode
	default:
		return liberrors.GeneralCode
	}
}

// harborError turns an error of the binding into Harbor's *errors.Error
// with the matching code; the message is the library's (never a secret)
// with the endpoint type in front. Other errors pass unchanged.
func harborError(err error) error {
	if err == nil {
		return nil
	}
	var e *swr.Error
	if !errors.As(err, &e) {
		return err
	}
	msg := DisplayName + ": " + err.Error()
	switch e.Reason {
	case swr.ReasonAuth:
		msg += " (" + credentialHelp + ")"
	case swr.ReasonOCIIndexRefused:
		msg += " (SWR accepts Docker manifest lists, not OCI image indexes: push the image as a Docker " +
			"manifest list, for example with swrctl copy --oci-index-to-docker-list, or replicate single platforms)"
	}
	// Errorf, not WithMessage: its signature changed after v2.4.0.
	return liberrors.Errorf("%s", msg).WithCode(harborCode(e))
}

// notFoundForDeletion is what Harbor's deletion step skips as "already
// gone": it tests for *common/http.Error with code 404 by type, not by
// wrapping.
func notFoundForDeletion(what string) error {
	return &commonhttp.Error{Code: http.StatusNotFound, Message: fmt.Sprintf("%s: %s not found", DisplayName, what)}
}

// unhealthyBecause words a failed health check by the error's reason: a
// refused login blames the credentials, a network or TLS failure does not.
func unhealthyBecause(what string, err error) string {
	var e *swr.Error
	if !errors.As(err, &e) {
		return what + " failed"
	}
	switch e.Reason {
	case swr.ReasonAuth, swr.ReasonForbidden:
		return what + " refused the login (" + credentialHelp + "); fix the endpoint before testing again: " +
			"SWR blocks a user's logins for 30 minutes after repeated failures, and retrying makes it worse"
	case swr.ReasonTLS:
		return what + "'s TLS certificate was not accepted (give Harbor its CA, or turn off Verify Remote Cert)"
	case swr.ReasonDNS:
		return what + "'s host name does not resolve (check the Endpoint URL)"
	case swr.ReasonRefused, swr.ReasonConnection, swr.ReasonTimeout:
		return what + " could not be reached (check the Endpoint URL, proxies and firewalls)"
	case swr.ReasonRateLimited:
		return what + " is rate limiting this account (try again in a minute)"
	default:
		return what + " failed (" + e.Reason.String() + ")"
	}
}
