package errors

import (
	stderrors "errors"
	"slices"
	"strings"
)

// Fault says who is to blame for an error: the caller (client) or the
// service (server).
type Fault string

// The two faults, spelled as the AWS SDKs spell them.
const (
	FaultClient Fault = "client"
	FaultServer Fault = "server"
)

// APIError is implemented by every exception type in this package, always
// with a pointer receiver (*NotFoundException, ...).
type APIError interface {
	error
	// ErrorCode returns the code sent as __type, e.g. "NotFoundException".
	ErrorCode() string
	// ErrorMessage returns the message sent as "message"; it may be "".
	ErrorMessage() string
	// ErrorFault reports whether the caller or the service is to blame.
	ErrorFault() Fault
	// HTTPStatusCode returns the status the KMS front end sends; see the
	// package documentation, section "HTTP status".
	HTTPStatusCode() int
}

// Info describes one error code.
type Info struct {
	Code  string // e.g. "NotFoundException"
	Fault Fault
	// HTTPStatus is the status the simulator's HTTP front end sends, as
	// observed from AWS: 400 for every client error.
	HTTPStatus int
	// ModelHTTPStatus is the Smithy httpError of the AWS model (404 for
	// NotFoundException, for example). For codes not in the model it
	// equals HTTPStatus.
	ModelHTTPStatus int
	// InModel reports whether the KMS service model declares the code;
	// it is false for errors only the AWS front end returns.
	InModel bool
	// Doc is a one-sentence description.
	Doc string
}

// Lookup returns the description of code. Codes are case-sensitive and
// have no namespace prefix: "NotFoundException", not
// "com.amazonaws.kms#NotFoundException".
func Lookup(code string) (Info, bool) {
	i, ok := slices.BinarySearchFunc(infos[:], code, func(in Info, c string) int {
		return strings.Compare(in.Code, c)
	})
	if !ok {
		return Info{}, false
	}
	return infos[i], true
}

// All returns a description of every code, sorted by Code. The caller may
// modify the returned slice.
func All() []Info {
	return slices.Clone(infos[:])
}

// New returns a new exception of the type named by code (for example a
// *NotFoundException for "NotFoundException") carrying message. For an
// unknown code it returns nil.
func New(code, message string) APIError {
	return newException(code, message)
}

// As finds the first error in err's chain that implements [APIError], as
// the standard library's errors.As does, and returns it. It returns nil and
// false if there is none.
func As(err error) (APIError, bool) {
	var apiErr APIError
	if stderrors.As(err, &apiErr) {
		return apiErr, true
	}
	return nil, false
}

// errorString is the Error text of every exception type.
func errorString(code, message string) string {
	if message == "" {
		return code
	}
	return code + ": " + message
}
