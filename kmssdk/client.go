package kmssdk

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	smithy "github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/internal/kmsconv"
	"github.com/kmsim/kmsim/region"
)

// Defaults of [New].
const (
	// DefaultRegion is the Region a Client calls unless [WithRegion] says
	// otherwise.
	DefaultRegion region.ID = "us-east-1"
	// DefaultAccount is the account a Client calls as unless [WithCaller]
	// says otherwise; it is the account kmstest environments start with.
	DefaultAccount = "111122223333"
)

// Client runs KMS operations on an engine with the method set of
// *kms.Client. It calls as one account and principal in one Region,
// which a call's option functions may change through
// [kms.Options].Region. A Client is safe for concurrent use.
type Client struct {
	engine *engine.Engine
	caller engine.Caller
	// requests counts calls; it numbers the request IDs of errors.
	requests atomic.Uint64
}

// Option configures [New].
type Option func(*Client)

// WithRegion sets the Region the client calls, as the Region of a
// kms.Client's configuration does. The default is [DefaultRegion].
func WithRegion(r region.ID) Option {
	return func(c *Client) { c.caller.Region = r }
}

// WithCaller sets the account and the principal ARN the client calls as;
// an empty principal is the account's root user. The default is the root
// user of [DefaultAccount]. The engine answers calls of an unknown
// account or principal with UnrecognizedClientException.
func WithCaller(account, principal string) Option {
	return func(c *Client) { c.caller.Account, c.caller.Principal = account, principal }
}

// New returns a client of e.
func New(e *engine.Engine, opts ...Option) *Client {
	c := &Client{engine: e, caller: engine.Caller{Account: DefaultAccount, Region: DefaultRegion}}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Region returns the Region the client calls by default.
func (c *Client) Region() region.ID { return c.caller.Region }

// operation is the recipe of one KMS operation: the SDK's client-side
// validation, the front end's presence check, the conversions and the
// engine method.
type operation[SI, EI, EO, SO any] struct {
	name     string
	validate func(*SI) error
	check    func(*SI) error
	toEngine func(*SI) EI
	run      func(*engine.Engine, engine.Caller, EI) (*EO, error)
	toSDK    func(*EO) *SO
}

func newOperation[SI, EI, EO, SO any](
	name string,
	validate func(*SI) error,
	check func(*SI) error,
	toEngine func(*SI) EI,
	run func(*engine.Engine, engine.Caller, EI) (*EO, error),
	toSDK func(*EO) *SO,
) *operation[SI, EI, EO, SO] {
	return &operation[SI, EI, EO, SO]{name, validate, check, toEngine, run, toSDK}
}

// same is the conversion of an operation whose run already returns the
// SDK output (DescribeKey and CreateKey, which convert the metadata the
// engine lends).
func same[T any](out *T) *T { return out }

// invoke runs op as the real client would send it, with the errors the
// real client would return.
func (op *operation[SI, EI, EO, SO]) invoke(ctx context.Context, c *Client, params *SI, optFns []func(*kms.Options)) (*SO, error) {
	n := c.requests.Add(1)
	if err := ctx.Err(); err != nil {
		return nil, op.fail(&smithy.CanceledError{Err: err})
	}
	if params == nil {
		params = new(SI)
	}
	caller := c.caller
	if len(optFns) > 0 {
		o := kms.Options{Region: string(caller.Region)}
		for _, fn := range optFns {
			fn(&o)
		}
		caller.Region = region.ID(o.Region)
	}
	if err := op.validate(params); err != nil {
		return nil, op.fail(err)
	}
	if err := op.check(params); err != nil {
		return nil, op.fail(responseError(err, n))
	}
	out, err := op.run(c.engine, caller, op.toEngine(params))
	if err != nil {
		return nil, op.fail(responseError(err, n))
	}
	return op.toSDK(out), nil
}

func (op *operation[SI, EI, EO, SO]) fail(err error) error {
	return &smithy.OperationError{ServiceID: kms.ServiceID, OperationName: op.name, Err: err}
}

// retryable is the SDK's default test for errors worth another attempt.
var retryable = retry.IsErrorRetryables(retry.DefaultRetryables)

// responseError wraps the SDK form of a KMS error as the SDK's HTTP
// transport does, with the status the HTTP front would send. An error the
// SDK would retry (server errors, throttling) is also wrapped as the
// retryer wraps it when it gives up after one attempt, which is what a
// real client with RetryMaxAttempts 1 returns.
func responseError(err error, n uint64) error {
	sdkErr := kmsconv.SDKError(err)
	status := http.StatusInternalServerError
	if apiErr, ok := kmserrors.As(err); ok {
		status = apiErr.HTTPStatusCode()
	}
	code := "KMSInternalException"
	if apiErr, ok := sdkErr.(smithy.APIError); ok {
		code = apiErr.ErrorCode()
	}
	id := requestID(n)
	resp := &http.Response{
		Status:     strconv.Itoa(status) + " " + http.StatusText(status),
		StatusCode: status,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header: http.Header{
			"Content-Type":     {"application/x-amz-json-1.1"},
			"X-Amzn-Errortype": {code},
			"X-Amzn-Requestid": {id},
		},
		Body: http.NoBody,
	}
	var out error = &awshttp.ResponseError{
		ResponseError: &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: resp}, Err: sdkErr},
		RequestID:     id,
	}
	if retryable.IsErrorRetryable(out) == aws.TrueTernary {
		out = &retry.MaxAttemptsError{Attempt: 1, Err: out}
	}
	return out
}

// requestID returns the ID of a client's nth request, shaped like the
// UUIDs KMS sends: 00000000-0000-4000-8000-00000000002a for the 42nd.
func requestID(n uint64) string {
	const prefix = "00000000-0000-4000-8000-"
	const hex = "0123456789abcdef"
	var b [len(prefix) + 12]byte
	copy(b[:], prefix)
	for i := len(b) - 1; i >= len(prefix); i-- {
		b[i] = hex[n&0xf]
		n >>= 4
	}
	return string(b[:])
}
