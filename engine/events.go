package engine

import (
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
// RequestParameters and ResponseElements hold the operation's input and
// output values; they are shared with the caller and must not be
// modified.
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
	return ev
}

// emit adds an event beside the call's own, e.g. the CreateKey that
// ReplicateKey records in the replica Region.
func (cl *call) emit(ev Event) {
	ev.Time = cl.now
	cl.extra = append(cl.extra, ev)
}
