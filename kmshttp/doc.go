// Package kmshttp serves a kmsim engine over HTTP as the AWS KMS JSON API,
// so that any AWS SDK or the AWS CLI can use it as its KMS endpoint.
//
// A [Handler] speaks the awsJson 1.1 protocol of KMS: POST with
// X-Amz-Target: TrentService.<Operation> and a JSON body, answered with
// status 200, Content-Type application/x-amz-json-1.1, an
// X-Amzn-RequestId header and the operation's output shaped as the API
// model says. Every operation the engine implements is served; see
// [New] and [Config]. With the Go SDK:
//
//	h, err := kmshttp.New(env.Engine, kmshttp.Config{Clock: env.Clock})
//	srv := httptest.NewServer(h)
//	client := kms.New(kms.Options{
//		Region:       "eu-west-1",
//		BaseEndpoint: aws.String(srv.URL),
//		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
//			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
//		}),
//	})
//
// [NewServer] wraps a handler in an *http.Server with timeouts for slow
// clients.
//
// A request goes through these steps; the first that fails answers it:
//
//  1. The X-Amz-Target header names an operation of the KMS model, else
//     UnknownOperationException. Methods other than POST are an
//     UnknownOperationException too. The path does not matter (outside
//     /_kmsim/) and Content-Type is not checked.
//  2. The body is read, at most Config.MaxBodyBytes (1 MiB by default). A
//     larger body is answered with SerializationException (status 400,
//     not 413, as KMS answers malformed bodies) whose message names the
//     limit.
//  3. The caller is found (see "Regions and callers"); in strict mode the
//     signature is verified (see "Strict mode").
//  4. The body is validated against the model: member types
//     (SerializationException), then lengths, ranges, enums, patterns
//     and required members (ValidationException).
//  5. An operation KMS has but kmsim does not implement yet is answered
//     with UnsupportedOperationException "kmsim does not implement <Op>
//     yet" (UnknownOperationException would be wrong: KMS knows it).
//  6. The body is decoded into the SDK's input type. Member names must be
//     spelled exactly as in the model; others are ignored, as KMS ignores
//     unknown members.
//  7. If the request's context is done (the client went away) the handler
//     stops without an answer, by panicking with [http.ErrAbortHandler],
//     and the engine never sees the request. Otherwise the engine runs it.
//
// # Regions and callers
//
// One handler, on one port, serves every Region of every partition, as
// the whole set of KMS endpoints would. The Region of a request is the
// Region of the credential scope in its SigV4 Authorization header
//
//	AWS4-HMAC-SHA256 Credential=<AKID>/<date>/<region>/kms/aws4_request, SignedHeaders=..., Signature=...
//
// so a client configured for eu-west-1 reaches eu-west-1. Unsigned requests
// go to Config.DefaultRegion (us-east-1 by default).
//
// The caller is the owner of the access key ID in the credential, as the
// engine knows it ([engine.Engine.LookupAccessKey]): an account and its
// root user, one of its IAM users, or a role session. [New] makes sure
// Config.DefaultAccount (111122223333 by default, kmstest.DefaultAccount)
// exists, in the partition of the default Region, and registers the access
// key "test" with secret "test" for its root user, so that
//
//	AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws kms list-keys --endpoint-url http://localhost:4566
//
// just works. Outside strict mode the signature is not checked, and a
// request that is unsigned, whose access key the engine does not know, or
// whose Authorization header cannot be read acts as the default account's
// root user (the Region still comes from a readable Credential). The
// engine answers UnrecognizedClientException for a Region outside the
// caller's partition, an unknown Region and an opt-in Region the account
// has not enabled. Create more accounts, principals and access keys with
// the engine's methods or the admin API.
//
// # Errors
//
// Errors are written as KMS writes them: the status of the error
// ([kmserrors.APIError.HTTPStatusCode]: 400 for client errors, 500 or 503
// for server errors), a header X-Amzn-ErrorType: <Code>, Content-Type
// application/x-amz-json-1.1, the X-Amzn-RequestId header and the body
//
//	{"__type":"NotFoundException","message":"Key 'arn:aws:kms:...' does not exist"}
//
// without "message" when the message is empty, as KMS sends
// InvalidCiphertextException. The SDKs turn it into their type for the
// code (*types.NotFoundException in Go) or a generic API error with the
// code for the errors only the AWS front end returns (ValidationException,
// SerializationException, UnknownOperationException,
// UnrecognizedClientException, ...). An error that is no kmserrors value
// becomes KMSInternalException (500), and so does a panic while serving a
// request; Config.OnPanic sees the panic value and Config.Logger logs it.
// No panic reaches the client.
//
// Request IDs count the handler's requests and look like UUIDs
// (00000000-0000-4000-8000-000000000001), so that a test run is
// reproducible.
//
// When Config.Logger is set, each request is logged in one line with its
// request ID, operation (or admin path), Region, status, duration and
// error code.
//
// # Admin API
//
// The path prefix /_kmsim/ is reserved for an admin API that sets up the
// simulated world and looks into it. Requests and responses are JSON
// (member names as below); errors use the KMS error format above, with the
// engine's error codes. The admin API needs no signature, in strict mode
// too.
//
//	Method Path                     Body                                       Response
//	POST   /_kmsim/accounts         {"Id","Partition"}                         the account; Partition defaults to "aws"
//	GET    /_kmsim/accounts                                                    ["111122223333", ...]
//	POST   /_kmsim/principals       {"Arn"}                                    the principal (an IAM user or role ARN)
//	POST   /_kmsim/principal-policies {"Arn","Name","Document"}                 {"Arn","Name"}; attaches an inline IAM identity policy
//	DELETE /_kmsim/principal-policies {"Arn","Name"}                            {"Arn","Name"}; removes it
//	POST   /_kmsim/access-keys      {"Id","Secret","Account","Principal"}      {"Id","Account","Principal"}; "" Principal is the root user
//	POST   /_kmsim/regions/enable   {"Account","Region"}                       {"Account","Region","Enabled":true}
//	POST   /_kmsim/regions/disable  {"Account","Region"}                       {"Account","Region","Enabled":false}
//	GET    /_kmsim/events                                                      the engine's event log ([engine.Event] values), oldest first
//	GET    /_kmsim/pending                                                     scheduled transitions ([engine.Transition] values)
//	GET    /_kmsim/clock                                                       {"Now":"2026-01-01T00:00:00Z"}
//	POST   /_kmsim/clock/advance    {"Seconds":5}                              {"Now":...} after applying what fell due
//
// The clock endpoints need Config.Clock to be a [ManualClock] (such as
// *kmstest.Clock, shared with the engine); otherwise they answer 404 with
// UnsupportedOperationException "the server runs on the real clock".
// Seconds may have a fraction but must not be negative. An unknown admin
// path is a 404 NotFoundException, a wrong method a 405
// UnsupportedOperationException with an Allow header; a body with unknown
// members is a SerializationException. IAM users and roles can do
// nothing until an identity policy allows it (the root user needs none),
// as in AWS: attach one with /_kmsim/principal-policies.
//
// # Strict mode
//
// With Config.StrictSigV4 every KMS request must carry a valid SigV4
// signature by an access key the engine knows:
//
//   - no Authorization header: MissingAuthenticationTokenException
//     "Missing Authentication Token";
//   - an unknown access key ID: UnrecognizedClientException "The security
//     token included in the request is invalid.";
//   - an Authorization header that misses Credential, SignedHeaders or
//     Signature, uses another algorithm, or has a Credential without five
//     parts, and a missing or malformed X-Amz-Date:
//     IncompleteSignatureException, worded as AWS words it ("Authorization
//     header requires 'Credential' parameter. Authorization=...");
//   - a credential scope for another service or terminator, or a scope date
//     other than the X-Amz-Date's: InvalidSignatureException;
//   - an X-Amz-Date more than 15 minutes before or after
//     Config.SignatureClock (the system clock when it is nil, whatever
//     clock the engine runs on, because SDKs sign with the real time):
//     InvalidSignatureException "Signature expired: ..." (or "Signature not
//     yet current: ...");
//   - a wrong signature: InvalidSignatureException "The request signature we
//     calculated does not match the signature you provided. ...".
//
// The signature is checked by signing a copy of the request, holding
// exactly the headers it lists as signed, with the SDK's SigV4 signer
// (github.com/aws/aws-sdk-go-v2/aws/signer/v4), the key's secret, the
// request's X-Amz-Date, the SHA-256 of the body, service "kms" and the
// scope's Region, and comparing the two signatures in constant time.
// Session tokens are not checked. The default "test" access key is
// registered in strict mode too.
package kmshttp
