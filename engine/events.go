package engine

import (
	"slices"
	"time"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/region"
)

// serviceKMS is the principal of steps KMS takes on its own.
const serviceKMS = "kms.amazonaws.com"

// Event is one entry of the engine's audit log, modelled on a CloudTrail
// record: who did what, where, with which parameters and result. Key
// material never appears in it.
//
// RequestParameters holds a copy of the operation's input;
// ResponseElements holds the output value returned to the caller, which
// must not be modified.
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
}

// eventLog is the append-only log, optionally bounded.
type eventLog struct {
	events []Event
	seq    uint64
	limit  int
}

func (l *eventLog) add(ev Event) {
	l.seq++
	ev.Seq = l.seq
	if l.limit > 0 && len(l.events) >= l.limit {
		// Drop the oldest half at once so trimming stays cheap.
		n := copy(l.events, l.events[len(l.events)-l.limit/2:])
		clear(l.events[n:])
		l.events = l.events[:n]
	}
	l.events = append(l.events, ev)
}

// Events returns a copy of the event log, oldest first.
func (e *Engine) Events() []Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Event, len(e.log.events))
	copy(out, e.log.events)
	return out
}

// event builds the record of the call itself.
func (cl *call) event(in, out any, err error) Event {
	ev := Event{
		Time:              cl.now,
		Name:              cl.op,
		Region:            cl.caller.Region,
		Account:           cl.caller.Account,
		Principal:         cl.caller.Principal,
		RequestParameters: in,
	}
	if c, ok := in.(logCopier); ok {
		ev.RequestParameters = c.logCopy()
	}
	if cl.key != nil {
		ev.Resources = []string{cl.key.ARN}
	}
	if err != nil {
		if ae, ok := kmserrors.As(err); ok {
			ev.ErrorCode, ev.ErrorMessage = ae.ErrorCode(), ae.ErrorMessage()
		}
		return ev
	}
	ev.ResponseElements = out
	if c, ok := out.(logCopier); ok {
		// Outputs with a plaintext are logged without it.
		ev.ResponseElements = c.logCopy()
	}
	return ev
}

// emit adds an event beside the call's own, e.g. the CreateKey that
// ReplicateKey records in the replica Region.
func (cl *call) emit(ev Event) {
	ev.Time = cl.now
	cl.extra = append(cl.extra, ev)
}

// logCopier is implemented by inputs that hold slices, so the event log
// keeps its own copy and a caller reusing its slice cannot rewrite
// history, and by inputs and outputs that hold a plaintext, which the
// copy leaves out.
type logCopier interface{ logCopy() any }

func (in CreateKeyInput) logCopy() any    { in.Tags = slices.Clone(in.Tags); return in }
func (in ReplicateKeyInput) logCopy() any { in.Tags = slices.Clone(in.Tags); return in }
func (in TagResourceInput) logCopy() any  { in.Tags = slices.Clone(in.Tags); return in }
func (in UntagResourceInput) logCopy() any {
	in.TagKeys = slices.Clone(in.TagKeys)
	return in
}
func (in DescribeKeyInput) logCopy() any {
	in.GrantTokens = slices.Clone(in.GrantTokens)
	return in
}
