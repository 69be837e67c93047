package engine

import (
	"slices"
	"strings"
	"time"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// serviceKMS is the principal of steps KMS takes on its own.
const serviceKMS = "kms.amazonaws.com"

// Event is one entry of the engine's audit log, modelled on a CloudTrail
// record: who did what, where, with which parameters and result. Key
// material never appears in it.
//
// RequestParameters holds a copy of the operation's input (without
// plaintext). ResponseElements holds the output value returned to the
// caller, which must not be modified, for the operations whose response
// CloudTrail records; reads and cryptographic operations have none (see
// responseLogged). The response of a CreateKey call's own event is
// rendered anew by each call of Events, as the call returned it, and is
// the reader's own; the CreateKey event ReplicateKey logs in the
// replica's Region shares its lists with the ReplicateKey response.
type Event struct {
	Seq       uint64    `json:"seq"`
	Time      time.Time `json:"eventTime"`
	Name      string    `json:"eventName"`
	Region    region.ID `json:"awsRegion"`
	Account   string    `json:"recipientAccountId"`
	Principal string    `json:"principal"`
	// InvokedBy is set when KMS made the call itself, e.g. the promoted
	// key's half of UpdatePrimaryRegion.
	InvokedBy         string   `json:"invokedBy,omitempty"`
	RequestParameters any      `json:"requestParameters,omitempty"`
	ResponseElements  any      `json:"responseElements,omitempty"`
	Resources         []string `json:"resources,omitempty"`
	ErrorCode         string   `json:"errorCode,omitempty"`
	ErrorMessage      string   `json:"errorMessage,omitempty"`

	// resource, inside the log, stands for Resources: []string{resource}.
	// Most events name one key, and the log would otherwise allocate a
	// slice for every call; Events builds the slices when asked.
	resource string
	// packed, inside the log, holds a packed input that unpack turns
	// back into RequestParameters when Events is called (see logPacker).
	packed string
	unpack logUnpacker
}

// eventLog is the append-only log, optionally bounded. It is stored in
// fixed-size chunks, so appending never copies the events already logged
// (a single growing slice copied the whole log, pointers and all, at every
// doubling, and touched fresh pages for each copy). A bounded log grows
// the same way until it holds limit events and is then a ring: each new
// event takes the oldest one's slot.
type eventLog struct {
	// chunks hold the events; all but the last hold eventChunk.
	chunks [][]Event
	// n is the number of events held; once a bounded log is full, head
	// is the slot of its oldest event.
	n     int
	head  int
	seq   uint64
	limit int
}

// eventChunk is the number of events in each chunk of the log.
const eventChunk = 1024

func (l *eventLog) add(ev Event) {
	slot := l.next()
	ev.Seq = slot.Seq
	*slot = ev
}

func (l *eventLog) slot(i int) *Event { return &l.chunks[i/eventChunk][i%eventChunk] }

// next takes a slot for a zero event with the next sequence number and
// returns it to be filled in place, which saves copying a large struct.
func (l *eventLog) next() *Event {
	l.seq++
	if l.limit > 0 && l.n == l.limit {
		slot := l.slot(l.head)
		*slot = Event{Seq: l.seq}
		l.head = (l.head + 1) % l.limit
		return slot
	}
	if l.n%eventChunk == 0 {
		size := eventChunk
		if l.limit > 0 {
			size = min(size, l.limit-l.n)
		}
		l.chunks = append(l.chunks, make([]Event, size))
	}
	slot := l.slot(l.n)
	slot.Seq = l.seq
	l.n++
	return slot
}

// appendAll appends the logged events to out, oldest first.
func (l *eventLog) appendAll(out []Event) []Event {
	for i := range l.n {
		out = append(out, *l.slot((l.head + i) % l.n))
	}
	return out
}

// Events returns a copy of the event log, oldest first.
func (e *Engine) Events() []Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.log.appendAll(make([]Event, 0, e.log.n))
	for i := range out {
		ev := &out[i]
		if ev.resource != "" {
			ev.Resources, ev.resource = []string{ev.resource}, ""
		}
		if ev.unpack != nil {
			ev.RequestParameters = ev.unpack(&logReader{b: ev.packed})
			ev.packed, ev.unpack = "", nil
		}
		switch r := ev.ResponseElements.(type) {
		case replicaCreated:
			ev.ResponseElements = &CreateKeyOutput{KeyMetadata: r.out.ReplicaKeyMetadata}
		case *keyCreated:
			ev.ResponseElements = r.output()
		}
	}
	return out
}

// event writes the record of the call itself into *ev, a new entry of
// the log whose request parameters are already in.
func (cl *call) event(ev *Event, out any, err error) {
	ev.Time = cl.now
	ev.Name = cl.op
	ev.Region = cl.caller.Region
	ev.Account = cl.caller.Account
	ev.Principal = cl.caller.Principal
	if cl.key != nil {
		ev.resource = cl.key.ARN
	}
	if err != nil {
		if ae, ok := kmserrors.As(err); ok {
			ev.ErrorCode, ev.ErrorMessage = ae.ErrorCode(), ae.ErrorMessage()
		}
		return
	}
	if responseLogged(cl.op) {
		ev.ResponseElements = out
		if cl.created != nil {
			ev.ResponseElements = cl.created
		}
	}
}

// logBoxed logs in as it is, or as its logCopy or packed form when it
// has one, so an input that runPacked would pack is never logged whole
// (with its plaintext) when an operation is run with run instead.
func logBoxed[In any](cl *call, ev *Event, in In) {
	var v any = in
	if p, ok := v.(logPacker); ok {
		logPacked(cl, ev, p)
		return
	}
	ev.RequestParameters = boxedCopy(v)
}

// boxedCopy returns the input in v as the log keeps it boxed: its
// logCopy when it has one.
func boxedCopy(v any) any {
	if c, ok := v.(logCopier); ok {
		return c.logCopy()
	}
	return v
}

// logPacked logs in packed, or boxed when its packLog declines.
func logPacked[In logPacker](cl *call, ev *Event, in In) {
	w := &cl.logw
	w.b, w.whole, w.kept = w.b[:0], "", false
	ev.unpack = in.packLog(w)
	if ev.unpack == nil {
		ev.RequestParameters = boxedCopy(in)
		return
	}
	if w.kept {
		ev.packed = w.whole
		return
	}
	// The log keeps a copy of exactly the written bytes, in one
	// pointer-free allocation; the writer's buffer serves the next call.
	ev.packed = string(w.b)
}

// responseLogged reports whether the log keeps op's response. CloudTrail
// records the response of operations that change keys (CreateKey's key
// metadata, ScheduleKeyDeletion's deletion date) and null for reads and
// cryptographic operations. Following it keeps plaintexts, data keys and
// signatures out of the log by construction, and keeps the log small:
// responses of reads would be most of its memory.
func responseLogged(op string) bool {
	switch op {
	case "Encrypt", "Decrypt", "ReEncrypt", "Sign", "Verify", "VerifyMac":
		return false
	}
	return !strings.HasPrefix(op, "Describe") && !strings.HasPrefix(op, "List") &&
		!strings.HasPrefix(op, "Get") && !strings.HasPrefix(op, "Generate")
}

// emit adds an event beside the call's own, e.g. the CreateKey that
// ReplicateKey records in the replica Region.
func (cl *call) emit(ev Event) {
	ev.Time = cl.now
	cl.extra = append(cl.extra, ev)
}

// logCopier is implemented by inputs that hold slices, so the event log
// keeps its own copy and a caller reusing its slice cannot rewrite
// history, and by inputs that hold a plaintext, which the copy leaves
// out.
type logCopier interface{ logCopy() any }

// CreateKey and ReplicateKey requests are logged boxed only when they
// carry a policy (see their packLog). The policy is shared with the new
// key; the other strings are copied, since over HTTP they are slices of
// the request body, which the policy makes large.

func (in CreateKeyInput) logCopy() any {
	in.Description = strings.Clone(in.Description)
	in.KeyUsage = keystore.KeyUsage(strings.Clone(string(in.KeyUsage)))
	in.CustomerMasterKeySpec = keystore.KeySpec(strings.Clone(string(in.CustomerMasterKeySpec)))
	in.KeySpec = keystore.KeySpec(strings.Clone(string(in.KeySpec)))
	in.Origin = keystore.Origin(strings.Clone(string(in.Origin)))
	in.CustomKeyStoreID = strings.Clone(in.CustomKeyStoreID)
	in.XksKeyID = strings.Clone(in.XksKeyID)
	in.Tags = clonedTags(in.Tags)
	return in
}

func (in ReplicateKeyInput) logCopy() any {
	in.KeyID = strings.Clone(in.KeyID)
	in.ReplicaRegion = region.ID(strings.Clone(string(in.ReplicaRegion)))
	in.Description = strings.Clone(in.Description)
	in.Tags = clonedTags(in.Tags)
	return in
}

// clonedTags copies tags and their strings.
func clonedTags(tags []keystore.Tag) []keystore.Tag {
	if tags == nil {
		return nil
	}
	out := make([]keystore.Tag, len(tags))
	for i, t := range tags {
		out[i] = keystore.Tag{Key: strings.Clone(t.Key), Value: strings.Clone(t.Value)}
	}
	return out
}

func (in TagResourceInput) logCopy() any { in.Tags = slices.Clone(in.Tags); return in }
func (in UntagResourceInput) logCopy() any {
	in.TagKeys = slices.Clone(in.TagKeys)
	return in
}
