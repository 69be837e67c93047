package engine

import (
	"crypto/cipher"
	"crypto/rand"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"sync"
	"time"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/policy"
	"github.com/kmsim/kmsim/region"
)

// Clock reports the current time. The engine never sleeps or starts
// timers; it reads the clock once at the start of each operation.
type Clock interface{ Now() time.Time }

// Op names the operation an [Injector] is asked about.
type Op struct {
	Name   string // KMS operation name, e.g. "ReplicateKey"
	Caller Caller
}

// Injector lets a test fail operations on purpose. Before runs after the
// caller is authenticated and before the operation looks at any key; a
// non-nil error fails the operation with no other effect. Errors that are
// not [kmserrors.APIError] values become KMSInternalException.
type Injector interface {
	Before(op Op) error
}

// Config holds everything the engine takes from outside. The zero value
// is usable: real time, crypto/rand and KMS's default delays and quotas.
type Config struct {
	// Clock supplies the time; nil means the system clock.
	Clock Clock
	// Rand supplies key IDs, key material seeds, IVs and data keys; nil
	// means crypto/rand. Give a seeded source to replay a run exactly.
	Rand io.Reader
	// Faults may fail operations before they run; nil means none.
	Faults Injector

	// CreatingDelay is how long a new replica stays Creating; 0 means 5s.
	CreatingDelay time.Duration
	// UpdatingDelay is how long UpdatePrimaryRegion leaves both keys
	// Updating; 0 means 5s.
	UpdatingDelay time.Duration
	// DeletionLag delays the removal of a key past its DeletionDate; AWS
	// has been seen to take about two days. 0 deletes at DeletionDate.
	DeletionLag time.Duration

	// KeyQuota is the number of keys one account may hold in one Region;
	// 0 means the KMS default of 100,000.
	KeyQuota int
	// MaxPolicyBytes is the key policy size quota; 0 means 32768.
	MaxPolicyBytes int
	// NoMultiRegion lists Regions where multi-Region keys are not
	// supported (spec §2.4: by default they are supported everywhere).
	NoMultiRegion []region.ID

	// Throttle turns on request quotas (spec §10.2): token buckets per
	// account, Region and operation on the simulated clock, failing
	// excess requests with ThrottlingException. Off by default.
	Throttle bool
	// RequestRates overrides [DefaultRequestRates] (requests per second)
	// when Throttle is on; a rate of zero or less removes the quota.
	RequestRates map[string]float64

	// DisableAuthorization turns off key policies and IAM policies: every
	// authenticated caller may do anything, as in a permissive fake.
	// Policies are still validated and stored.
	DisableAuthorization bool
	// PrincipalVisibilityDelay is how long a new IAM principal stays
	// invisible to key policy validation (spec §7.3: IAM is eventually
	// consistent); 0 means at once.
	PrincipalVisibilityDelay time.Duration

	// EventLogLimit keeps only the newest n events when n > 0; 0 keeps
	// every event.
	EventLogLimit int
}

// Defaults applied when a Config field is zero.
const (
	DefaultCreatingDelay  = 5 * time.Second
	DefaultUpdatingDelay  = 5 * time.Second
	DefaultKeyQuota       = 100_000
	DefaultMaxPolicyBytes = 32768
)

// Engine is the KMS state machine. It is safe for concurrent use: each
// operation holds one lock from start to end, so operations are atomic and
// appear in a single order.
type Engine struct {
	mu sync.Mutex

	clock  Clock
	rand   io.Reader
	faults Injector

	creatingDelay  time.Duration
	updatingDelay  time.Duration
	deletionLag    time.Duration
	keyQuota       int
	maxPolicyBytes int
	noMRK          map[region.ID]bool

	accounts map[string]*account
	// accessKeys maps an access key ID to its AccessKey. Writers hold
	// mu; LookupAccessKey reads without it.
	accessKeys sync.Map
	keys       *keystore.Store
	aliases    map[keystore.Scope]map[string]*alias
	queue      schedule
	log        eventLog
	throttle   *throttler // nil when throttling is off

	// authz is false when Config.DisableAuthorization is set.
	authz      bool
	visibility time.Duration
	// materialRand is the stream each key's material is drawn from,
	// reseeded with the key's seed (see materialSeed). A pointer, so
	// printing the engine shows none of its state.
	materialRand *mrand.ChaCha8
	// defaultDocs caches the default key policy by partition and
	// account.
	defaultDocs map[string]defaultPolicy
	// aeads caches the AES-GCM cipher of each symmetric material version;
	// a family's entries go when its last key is deleted.
	aeads map[*keystore.Material]cipher.AEAD

	// cur is the call in progress. Operations hold the lock from start to
	// end and never nest, so one call value serves them all and no
	// operation allocates its frame.
	cur call
}

// New returns an engine with no accounts and no keys.
func New(cfg Config) *Engine {
	e := &Engine{
		clock:          cfg.Clock,
		rand:           cfg.Rand,
		faults:         cfg.Faults,
		creatingDelay:  orDefault(cfg.CreatingDelay, DefaultCreatingDelay),
		updatingDelay:  orDefault(cfg.UpdatingDelay, DefaultUpdatingDelay),
		deletionLag:    cfg.DeletionLag,
		keyQuota:       orDefault(cfg.KeyQuota, DefaultKeyQuota),
		maxPolicyBytes: orDefault(cfg.MaxPolicyBytes, DefaultMaxPolicyBytes),
		noMRK:          make(map[region.ID]bool),
		accounts:       make(map[string]*account),
		keys:           keystore.NewStore(),
		aliases:        make(map[keystore.Scope]map[string]*alias),
		log:            eventLog{limit: cfg.EventLogLimit},
		materialRand:   mrand.NewChaCha8([32]byte{}),
	}
	if e.clock == nil {
		e.clock = systemClock{}
	}
	if e.rand == nil {
		e.rand = rand.Reader
	}
	e.authz = !cfg.DisableAuthorization
	e.visibility = cfg.PrincipalVisibilityDelay
	e.defaultDocs = make(map[string]defaultPolicy)
	e.aeads = make(map[*keystore.Material]cipher.AEAD)
	if cfg.Throttle {
		e.throttle = newThrottler(cfg.RequestRates)
	}
	for _, r := range cfg.NoMultiRegion {
		e.noMRK[r] = true
	}
	e.queue.deletions = make(map[*keystore.Key]*transition)
	return e
}

// orDefault returns v, or def when v is the zero value.
func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// call is one operation in progress: the authenticated caller, the time
// it runs at, and the events it adds beside its own.
type call struct {
	e         *Engine
	op        string
	caller    Caller
	acct      *account
	partition string
	now       time.Time
	scope     keystore.Scope
	// key is the key the call acted on, named in its event's resources.
	key *keystore.Key
	// created, set by CreateKey, is what its event keeps as the response
	// instead of the call's output (see keyCreated).
	created *keyCreated
	extra   []Event
	// who is the caller as key policies see it; iam holds its IAM
	// identity policies.
	who policy.Principal
	iam []*policy.Document
	// viaAlias holds the alias name the request used for each key it
	// resolved through an alias, for kms:RequestAlias.
	viaAlias map[*keystore.Key]string
	// callConds are condition keys every authorization of the call
	// adds, e.g. kms:ReEncryptOnSameKey on both of ReEncrypt's.
	callConds conditions
	// aad is scratch space for the additional data of symmetric
	// encryption, kept from call to call (the engine lock serializes
	// calls) so Encrypt and Decrypt with a context allocate none.
	aad []byte
	// logw is where packed inputs are written before the log copies
	// them, its buffer kept from call to call as aad is.
	logw logWriter
}

// run is the frame of every KMS operation: take the lock, apply the
// transitions that are due, authenticate the caller, consult the fault
// injector, run the body and record the event. The body must check
// everything before it changes anything, so a failed call leaves no trace
// but its event.
func run[In, Out any](e *Engine, op string, c Caller, in In, body func(*call, In) (Out, error)) (Out, error) {
	return frame(e, op, c, in, body, logBoxed[In])
}

// runPacked is run for the inputs the event log keeps packed (see
// logPacker): calling packLog through the type parameter spares boxing
// the input, which run's logging of any input cannot.
func runPacked[In logPacker, Out any](e *Engine, op string, c Caller, in In, body func(*call, In) (Out, error)) (Out, error) {
	return frame(e, op, c, in, body, logPacked[In])
}

// frame is run with the way the call's input goes into its event.
func frame[In, Out any](e *Engine, op string, c Caller, in In, body func(*call, In) (Out, error), logInput func(*call, *Event, In)) (Out, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.clock.Now()
	e.queue.advance(e, now)

	cl := &e.cur
	*cl = call{e: e, op: op, caller: c, now: now, extra: cl.extra[:0], aad: cl.aad[:0], logw: cl.logw}
	var out Out
	err := cl.authenticate()
	if err == nil {
		err = e.inject(Op{Name: op, Caller: cl.caller})
	}
	if err == nil && e.throttle != nil {
		err = e.throttle.take(cl.scope.Account, now, cl.charges(in))
	}
	if err == nil {
		out, err = body(cl, in)
	}
	ev := e.log.next()
	logInput(cl, ev, in)
	cl.event(ev, out, err)
	for _, ev := range cl.extra {
		e.log.add(ev)
	}
	clear(cl.extra) // the log has its own copies
	if err != nil {
		var zero Out
		return zero, err
	}
	return out, nil
}

// inject asks the fault injector about op. Anything it returns that is not
// a KMS error is reported as KMSInternalException, as an unexpected
// failure inside KMS would be.
func (e *Engine) inject(op Op) error {
	if e.faults == nil {
		return nil
	}
	err := e.faults.Before(op)
	if err == nil {
		return nil
	}
	if _, ok := kmserrors.As(err); ok {
		return err
	}
	return &kmserrors.KMSInternalException{Message: fmt.Sprintf("injected fault: %v", err)}
}

// systemClock is the default Clock. It is the engine's only use of the
// wall clock, and only when the Config names no Clock.
type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }
