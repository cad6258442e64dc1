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
func harborCode(c swr.Code) string {
	switch c {
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
	if e.Code == swr.CodeAuth {
		msg += " (" + credentialHelp + ")"
	}
	// Errorf, not WithMessage: its signature changed after v2.4.0.
	return liberrors.Errorf("%s", msg).WithCode(harborCode(e.Code))
}

// notFoundForDeletion is what Harbor's deletion step skips as "already
// gone": it tests for *common/http.Error with code 404 by type, not by
// wrapping.
func notFoundForDeletion(what string) error {
	return &commonhttp.Error{Code: http.StatusNotFound, Message: fmt.Sprintf("%s: %s not found", DisplayName, what)}
}
