// Package kmssdk is a drop-in replacement for the AWS SDK's *kms.Client
// that runs every call in process on a kmsim engine: no network, no
// credentials, no retries, and the same inputs, outputs and error types
// as the real client.
//
// Write code against a small interface of *kms.Client methods, or
// against [API], and give it the real client in production and a
// [Client] in tests:
//
//	// production
//	var client kmssdk.API = kms.NewFromConfig(cfg)
//
//	// tests
//	env := kmstest.NewEnv(t)
//	var client kmssdk.API = kmssdk.New(env.Engine)
//
// A Client calls as one account and principal ([WithCaller]) in one
// Region ([WithRegion]); clients of the same engine in different Regions
// see the same multi-Region keys, as clients of different KMS endpoints
// do. A call's option functions may change the Region for that call
// through [kms.Options].Region; other options are ignored.
//
// # Errors
//
// Errors are what the real client returns, so code that handles them
// needs no change. Every error is a *smithy.OperationError (ServiceID
// "KMS", the operation's name) wrapping:
//
//   - a smithy.InvalidParamsError when a required member is nil, found
//     before the call as the SDK's client-side validation finds it;
//   - a *smithy.CanceledError around ctx.Err() when the context is done;
//   - otherwise an *awshttp.ResponseError (HTTPStatusCode, RequestID) around
//     the KMS error: the SDK's modeled exception, such as
//     *types.NotFoundException or *types.KMSInvalidStateException, or a
//     *smithy.GenericAPIError for the errors only the AWS front end
//     returns, such as ValidationException, AccessDeniedException,
//     ThrottlingException and UnrecognizedClientException (an unknown
//     account or principal). An error the SDK would retry (throttling,
//     500, 503) sits in a *retry.MaxAttemptsError with Attempt 1 as well,
//     as from a real client with RetryMaxAttempts 1.
//
// Match them as with the real client:
//
//	var notFound *types.NotFoundException
//	if errors.As(err, &notFound) { ... }
//
//	var apiErr smithy.APIError
//	if errors.As(err, &apiErr) && apiErr.ErrorCode() == "ValidationException" { ... }
//
// The HTTP status is the one the kmsim HTTP front sends (400 for client
// errors, 500 or 503 for server errors), and request IDs count a client's
// calls, so a test's errors are the same on every run. Unlike the real
// client, a Client never retries: server errors an engine's fault
// injector produces come back on the first attempt.
//
// # Outputs
//
// Outputs are the SDK's types, filled as the real client fills them from
// a KMS response: members KMS omits are nil, lists KMS always sends are
// non-nil. ResultMetadata is empty.
package kmssdk
