// Package errors defines one Go type per error code that AWS KMS returns,
// so that every layer of kmsim reports failures the way the real service
// does.
//
// The package shares its name with the standard library's errors, so
// callers import it under the alias kmserrors, and the project's docs and
// examples always use that alias:
//
//	import kmserrors "github.com/kmsim/kmsim/errors"
//
// Each exception is a struct with one field, Message, and a pointer
// receiver implementing [APIError]; for example [NotFoundException] and
// [KMSInvalidStateException]. The codes are the 48 exception shapes of the
// KMS service model plus the errors the AWS front end returns for KMS
// without the model declaring them, such as [ValidationException],
// [AccessDeniedException] and [ThrottlingException]. [All] lists them and
// [Lookup] describes one as an [Info].
//
// # Creating
//
// Build a value with a composite literal, or with [New] when the code is
// only known at run time:
//
//	return &kmserrors.NotFoundException{Message: "Key 'arn:...' does not exist"}
//	return kmserrors.New("KMSInvalidStateException", msg)
//
// Add context with %w; the exception stays reachable:
//
//	return fmt.Errorf("replicate %s: %w", id, err)
//
// Return a literal nil on success, never a typed nil pointer such as a nil
// *NotFoundException, which would compare unequal to nil.
//
// # Matching
//
// Match types, never message text. The standard library's errors.As finds
// a specific exception anywhere in a wrapped chain:
//
//	var nf *kmserrors.NotFoundException
//	if errors.As(err, &nf) {
//		// nf.Message is the message KMS would send
//	}
//
// [As] finds any of them and gives access to the code and message, which
// is all the HTTP front end writes on the wire:
//
//	if apiErr, ok := kmserrors.As(err); ok {
//		code, msg := apiErr.ErrorCode(), apiErr.ErrorMessage()
//	}
//
// [APIError.ErrorFault] tells whether the caller ([FaultClient]) or the
// service ([FaultServer]) is to blame; server faults may be retried.
//
// # HTTP status
//
// [APIError.HTTPStatusCode] and [Info.HTTPStatus] give the status the
// simulator's HTTP front end sends. They follow observed AWS behaviour: 400
// for every client error, 500 for [KMSInternalException] and
// [KeyUnavailableException], 503 for [DependencyTimeoutException]. The
// Smithy model declares other values for some client errors (404 for
// [NotFoundException], 409 for [AlreadyExistsException],
// [DisabledException], [KMSInvalidStateException] and [ConflictException],
// 412 for [DryRunOperationException]), but recorded responses of the real
// service carry 400; [Info.ModelHTTPStatus] keeps the model's value for
// reference. For errors the model does not declare it equals HTTPStatus.
//
// # Generation
//
// The types, their methods and the table behind [All] and [Lookup] are
// generated from exceptions.tsv in this directory. Edit the table, then run
// go generate; a test fails when the generated file is out of date.
package errors

//go:generate go run ./internal/gen
