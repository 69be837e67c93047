package kmshttp

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/region"
)

// Defaults applied by [New] when a [Config] field is zero.
const (
	// DefaultRegion is the Region of requests without a SigV4 credential
	// scope.
	DefaultRegion region.ID = "us-east-1"
	// DefaultAccount is the account of requests whose access key the
	// engine does not know (outside strict mode); it equals
	// kmstest.DefaultAccount.
	DefaultAccount = "111122223333"
	// DefaultMaxBodyBytes is the request body limit: 1 MiB.
	DefaultMaxBodyBytes = 1 << 20
	// TestAccessKeyID and TestSecretAccessKey are the access key [New]
	// registers for the default account, so that clients configured with
	// AWS_ACCESS_KEY_ID=test and AWS_SECRET_ACCESS_KEY=test work as its
	// root user, in strict mode too.
	TestAccessKeyID     = "test"
	TestSecretAccessKey = "test"
)

// The wire protocol: awsJson 1.1 with the KMS target prefix.
const (
	contentType  = "application/x-amz-json-1.1"
	targetPrefix = "TrentService."
)

// ManualClock is a clock that the admin API can move forward, such as
// *kmstest.Clock.
type ManualClock interface {
	Now() time.Time
	Advance(d time.Duration) time.Time
}

// Config configures a [Handler]. The zero value is usable.
type Config struct {
	// DefaultRegion is the Region of unsigned requests; "" means
	// [DefaultRegion]. It must be a known Region.
	DefaultRegion region.ID
	// DefaultAccount is the account [New] makes sure exists, with access
	// key "test"; outside strict mode it also serves requests with an
	// unknown or no access key. "" means [DefaultAccount]. The account is
	// created in the partition of DefaultRegion.
	DefaultAccount string
	// StrictSigV4 requires every KMS request to be signed with an access
	// key the engine knows and verifies the signature; see the package
	// documentation, section "Strict mode".
	StrictSigV4 bool
	// Clock should be the engine's clock; the admin clock endpoints need
	// it to be a [ManualClock].
	Clock engine.Clock
	// SignatureClock is what strict mode compares the X-Amz-Date of
	// requests with; nil means the system clock. It is separate from
	// Clock because SDKs sign with the real time even when the engine runs
	// on a manual one.
	SignatureClock engine.Clock
	// MaxBodyBytes limits request bodies; 0 means [DefaultMaxBodyBytes].
	MaxBodyBytes int64
	// Logger, when set, receives one line per request.
	Logger *slog.Logger
	// OnPanic, when set, is called with the value of every panic the
	// handler recovers from (tests set it to fail). The client receives
	// a KMSInternalException either way.
	OnPanic func(v any)
}

// Handler serves the KMS JSON API of one engine, for every Region, and
// the admin API under /_kmsim/. It is safe for concurrent use.
type Handler struct {
	engine        *engine.Engine
	defaultRegion region.ID
	account       string
	strict        bool
	clock         engine.Clock // nil: system clock
	sigClock      engine.Clock // nil: system clock
	maxBody       int64
	logger        *slog.Logger
	onPanic       func(any)

	// requests numbers the responses; see requestID.
	requests atomic.Uint64
}

var _ http.Handler = (*Handler)(nil)

// New returns a handler for e. It creates cfg.DefaultAccount in the
// engine unless it exists, and registers the access key "test" with
// secret "test" for that account's root user unless the key exists.
//
// New fails on a Config it cannot use (an unknown DefaultRegion, a
// malformed DefaultAccount, a negative MaxBodyBytes) and returns the
// engine's error (a kmserrors value) if setting up the account fails.
func New(e *engine.Engine, cfg Config) (*Handler, error) {
	if e == nil {
		return nil, errors.New("kmshttp: nil engine")
	}
	h := &Handler{
		engine:        e,
		defaultRegion: cmp.Or(cfg.DefaultRegion, DefaultRegion),
		account:       cmp.Or(cfg.DefaultAccount, DefaultAccount),
		strict:        cfg.StrictSigV4,
		clock:         cfg.Clock,
		sigClock:      cfg.SignatureClock,
		maxBody:       cmp.Or(cfg.MaxBodyBytes, DefaultMaxBodyBytes),
		logger:        cfg.Logger,
		onPanic:       cfg.OnPanic,
	}
	r, ok := region.Lookup(h.defaultRegion)
	if !ok {
		return nil, fmt.Errorf("kmshttp: unknown default Region %q", h.defaultRegion)
	}
	if !region.ValidAccountID(h.account) {
		return nil, fmt.Errorf("kmshttp: default account %q is not a 12-digit account ID", h.account)
	}
	if h.maxBody < 0 {
		return nil, fmt.Errorf("kmshttp: negative MaxBodyBytes %d", h.maxBody)
	}
	if !hasAccount(e, h.account) {
		err := e.CreateAccount(engine.AccountInput{ID: h.account, Partition: r.Partition})
		if err != nil {
			return nil, fmt.Errorf("kmshttp: creating the default account: %w", err)
		}
	}
	if _, ok := e.LookupAccessKey(TestAccessKeyID); !ok {
		err := e.CreateAccessKey(engine.AccessKey{ID: TestAccessKeyID, Secret: TestSecretAccessKey, Account: h.account})
		if err != nil {
			return nil, fmt.Errorf("kmshttp: registering the test access key: %w", err)
		}
	}
	return h, nil
}

func hasAccount(e *engine.Engine, id string) bool {
	for _, a := range e.Accounts() {
		if a == id {
			return true
		}
	}
	return false
}

// now returns the time strict mode checks signatures against.
func (h *Handler) now() time.Time {
	if h.sigClock == nil {
		return time.Now()
	}
	return h.sigClock.Now()
}

// ServeHTTP answers one request: the KMS JSON API on any path outside
// /_kmsim/, the admin API inside it. Every response carries an
// X-Amzn-RequestId; errors are written as KMS writes them (see the
// package documentation). ServeHTTP never lets a panic reach the client,
// except [http.ErrAbortHandler], with which it abandons a request whose
// context is done before the engine runs it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{h: h, w: w, r: r}
	x.id = h.requestID(&x.idBuf)
	if h.logger != nil {
		x.start = time.Now()
	}
	defer x.finish()
	if strings.HasPrefix(r.URL.Path, adminPrefix) {
		h.serveAdmin(x)
		return
	}
	h.serveKMS(x)
}

// serveKMS runs one KMS operation.
func (h *Handler) serveKMS(x *exchange) {
	r := x.r
	if r.Method != http.MethodPost {
		x.fail(&kmserrors.UnknownOperationException{Message: "KMS operations are sent with POST, not " + r.Method + "."})
		return
	}
	target := headerValue(r.Header, "X-Amz-Target")
	name, ok := strings.CutPrefix(target, targetPrefix)
	if !ok || name == "" {
		msg := "Missing X-Amz-Target header."
		if target != "" {
			msg = fmt.Sprintf("X-Amz-Target %q does not name a KMS operation (TrentService.<Operation>).", target)
		}
		x.fail(&kmserrors.UnknownOperationException{Message: msg})
		return
	}
	x.op = name
	rt, ok := routes()[name]
	if !ok {
		x.fail(&kmserrors.UnknownOperationException{Message: fmt.Sprintf("Unknown operation %q.", name)})
		return
	}
	// The body is read into a pooled buffer, as the response is written
	// from one: nothing keeps the bytes past the request. Parse works on
	// its own string copy, which is what decoded strings point into;
	// Blob members are decoded into new slices; the encoding/json
	// fallback copies what it decodes; strict mode only hashes the body.
	// TestPooledBodyNotRetained checks the engine keeps no part of it.
	bufs := getBuffers()
	defer putBuffers(bufs)
	body, err := x.readBody(bufs.body[:0])
	if cap(body) > cap(bufs.body) {
		bufs.body = body[:0]
	}
	if err != nil {
		x.fail(err)
		return
	}
	caller, err := h.authenticate(r, body)
	x.region = caller.Region
	if err != nil {
		x.fail(err)
		return
	}
	req, err := rt.parser.Parse(body)
	if err != nil {
		x.fail(err)
		return
	}
	if !rt.implemented {
		req.Free()
		x.fail(&kmserrors.UnsupportedOperationException{Message: "kmsim does not implement " + name + " yet"})
		return
	}
	op := rt.op
	in := op.NewInput()
	decoded := rt.decodeParsed(req.Root(), in)
	// The decoded input holds nothing of req's own (strings point into
	// Parse's copy of the body, blobs are slices of their own).
	req.Free()
	if !decoded {
		in = op.NewInput()
		if err := decodeInput(body, in); err != nil {
			x.fail(&kmserrors.SerializationException{Message: "Cannot read the request body as " + name + "Input: " + err.Error()})
			return
		}
	}
	x.abortIfDone()
	bufs.out, err = op.AppendJSON(bufs.out[:0], h.engine, caller, in)
	if err != nil {
		x.fail(err)
		return
	}
	x.write(http.StatusOK, contentType, bufs.out)
}

// exchange is one request in progress and what the log line reports.
type exchange struct {
	h  *Handler
	w  http.ResponseWriter
	r  *http.Request
	id string

	start   time.Time
	op      string
	region  region.ID
	status  int
	code    string // error code, if the response is an error
	written bool

	// hv holds the values of the response headers write sets, and idBuf
	// and lenBuf the bytes of the request ID and the Content-Length, so
	// that one allocation (the exchange's) serves them all. Strings and
	// slices pointing into the exchange keep it alive as long as the
	// ResponseWriter holds them, which may be after ServeHTTP returns.
	hv     [4]string
	idBuf  [requestIDLen]byte
	lenBuf [20]byte
}

// readBody reads the whole request body, at most the handler's limit,
// into dst when it has room (nil: a new slice). A larger body is a
// SerializationException.
func (x *exchange) readBody(dst []byte) ([]byte, error) {
	limit := x.h.maxBody
	if x.r.ContentLength > limit {
		return nil, errTooLarge(limit)
	}
	if x.r.Body == nil {
		return nil, nil
	}
	var body []byte
	var err error
	if n := x.r.ContentLength; n >= 0 {
		// A declared length within the limit: the server's body reader
		// stops there, so one allocation of that size takes the body
		// without io.ReadAll's growth or MaxBytesReader's wrapper. The
		// limit is still checked, for handlers called in process with
		// a body longer than its declared length.
		body, err = readAtMost(dst, x.r.Body, n, limit)
	} else {
		body, err = io.ReadAll(http.MaxBytesReader(x.w, x.r.Body, limit))
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errTooLarge(limit)
		}
		x.abortIfDone()
		return nil, &kmserrors.SerializationException{Message: "Cannot read the request body: " + err.Error()}
	}
	x.abortIfDone()
	return body, nil
}

// readAtMost reads r to its end into dst, or into a new buffer of
// capacity hint+1 when dst has less room, growing it if r is longer, and
// fails with a *http.MaxBytesError once more than limit bytes have
// arrived.
func readAtMost(dst []byte, r io.Reader, hint, limit int64) ([]byte, error) {
	b := dst[:0]
	if int64(cap(b)) < hint+1 {
		b = make([]byte, 0, hint+1)
	}
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if int64(len(b)) > limit {
			return nil, &http.MaxBytesError{Limit: limit}
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func errTooLarge(limit int64) error {
	return &kmserrors.SerializationException{Message: fmt.Sprintf(
		"The request body is larger than the limit of %d bytes.", limit)}
}

// abortIfDone abandons the request when its context is done: the client
// has gone, so nothing is written, and the engine must not act on a
// request nobody waits for.
func (x *exchange) abortIfDone() {
	if x.r.Context().Err() != nil {
		x.status, x.code = 0, "Aborted"
		panic(http.ErrAbortHandler)
	}
}

// fail writes err as KMS writes errors. Errors that carry no
// [kmserrors.APIError] become KMSInternalException.
func (x *exchange) fail(err error) {
	x.failStatus(0, err)
}

// failStatus is fail with a status other than the error's own; 0 keeps
// the error's.
func (x *exchange) failStatus(status int, err error) {
	apiErr, ok := kmserrors.As(err)
	if !ok {
		apiErr = &kmserrors.KMSInternalException{Message: "kmsim: " + err.Error()}
	}
	if status == 0 {
		status = apiErr.HTTPStatusCode()
	}
	code := apiErr.ErrorCode()
	x.hv[3] = code
	x.w.Header()["X-Amzn-Errortype"] = x.hv[3:4:4]
	x.write(status, contentType, errorBody(code, apiErr.ErrorMessage()))
	x.code = code
}

// write sends a complete response.
func (x *exchange) write(status int, ctype string, body []byte) {
	// Header.Set would canonicalize each name and allocate a slice for
	// each value; the names are canonical already.
	hdr := x.w.Header()
	var length string
	if x.written {
		length = strconv.Itoa(len(body))
	} else {
		// The first response's length goes to lenBuf, which is written
		// once: the string shares its bytes.
		n := strconv.AppendInt(x.lenBuf[:0], int64(len(body)), 10)
		length = unsafe.String(&n[0], len(n))
	}
	x.hv[0], x.hv[1], x.hv[2] = ctype, x.id, length
	hdr["Content-Type"] = x.hv[0:1:1]
	hdr["X-Amzn-Requestid"] = x.hv[1:2:2]
	hdr["Content-Length"] = x.hv[2:3:3]
	x.written = true
	x.status = status
	x.w.WriteHeader(status)
	_, _ = x.w.Write(body)
}

// finish recovers from a panic of the request, answers it with
// KMSInternalException and writes the log line.
func (x *exchange) finish() {
	v := recover()
	if v == http.ErrAbortHandler {
		x.log()
		panic(v)
	}
	if v != nil {
		if x.h.onPanic != nil {
			x.h.onPanic(v)
		}
		if x.h.logger != nil {
			x.h.logger.LogAttrs(x.r.Context(), slog.LevelError, "kmshttp: recovered panic",
				slog.String("request_id", x.id), slog.String("operation", x.op), slog.Any("panic", v))
		}
		if !x.written {
			x.fail(&kmserrors.KMSInternalException{Message: fmt.Sprintf("kmsim: internal error: %v", v)})
		}
	}
	x.log()
}

// log writes the request's log line, if the handler has a logger.
func (x *exchange) log() {
	l := x.h.logger
	if l == nil {
		return
	}
	level := slog.LevelInfo
	if x.status >= 500 {
		level = slog.LevelError
	}
	if !l.Enabled(x.r.Context(), level) {
		// Spare the attributes' allocation when the line is filtered.
		return
	}
	attrs := []slog.Attr{
		slog.String("request_id", x.id),
		slog.String("operation", x.op),
		slog.Int("status", x.status),
		slog.Duration("duration", time.Since(x.start)),
	}
	if x.region != "" {
		attrs = append(attrs, slog.String("region", string(x.region)))
	}
	if x.code != "" {
		attrs = append(attrs, slog.String("error_code", x.code))
	}
	l.LogAttrs(x.r.Context(), level, "kmshttp request", attrs...)
}

// requestID returns the next request ID. IDs look like UUIDs and count
// the handler's requests, so a test sees the same IDs on every run:
// 00000000-0000-4000-8000-000000000001, ...
//
// The ID is written into buf, which must not change afterwards, and the
// string returned shares its memory.
func (h *Handler) requestID(buf *[requestIDLen]byte) string {
	const prefix = "00000000-0000-4000-8000-"
	n := h.requests.Add(1) & (1<<48 - 1)
	b := buf[:]
	copy(b, prefix)
	for i := len(b) - 1; i >= len(prefix); i-- {
		b[i] = "0123456789abcdef"[n&0xf]
		n >>= 4
	}
	return unsafe.String(&b[0], len(b))
}

// requestIDLen is the length of a request ID, that of a UUID.
const requestIDLen = 36

// sourceIP returns the host part of the request's remote address.
func sourceIP(r *http.Request) string {
	if r.RemoteAddr == "" {
		// A request served in process, without a connection; what
		// SplitHostPort's error below would give, without the error.
		return ""
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
