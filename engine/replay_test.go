package engine_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// replayStart is the clock start of every replay run.
var replayStart = time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)

// keyRef is one key the scenario made: a key ID in a Region.
type keyRef struct {
	Region region.ID `json:"region"`
	KeyID  string    `json:"keyId"`
	ARN    string    `json:"arn"`
}

// outcome is the result of one call: its output, or its error.
type outcome struct {
	Step    string `json:"step"`
	Output  any    `json:"output,omitempty"`
	Code    string `json:"errorCode,omitempty"`
	Message string `json:"errorMessage,omitempty"`
}

// replay is everything a run of the scenario lets a caller observe.
type replay struct {
	Keys      []keyRef                 `json:"keys"`
	Calls     []outcome                `json:"calls"`
	Describes []outcome                `json:"describes"`
	Pending   [][]engine.Transition    `json:"pending"`
	Events    []engine.Event           `json:"events"`
	ListKeys  []*engine.ListKeysOutput `json:"listKeys"`
}

// script runs the scenario's calls against one Env and records them.
type script struct {
	t   *testing.T
	env *kmstest.Env
	rec replay
}

func (s *script) in(r region.ID) engine.Caller { return s.env.Caller(r) }

// call runs one step. wantCode is the KMS error code the step must fail
// with, or "" when it must succeed. After the step, every key made so far
// is described in its Region.
func (s *script) call(step, wantCode string, f func() (any, error)) any {
	s.t.Helper()
	out, err := f()
	o := outcome{Step: step}
	if err != nil {
		apiErr, ok := kmserrors.As(err)
		if !ok {
			s.t.Fatalf("%s: untyped error %v", step, err)
		}
		o.Code, o.Message = apiErr.ErrorCode(), apiErr.ErrorMessage()
	} else {
		o.Output = out
	}
	if o.Code != wantCode {
		s.t.Errorf("%s: error code %q (%s), want %q", step, o.Code, o.Message, wantCode)
	}
	s.rec.Calls = append(s.rec.Calls, o)
	s.describeAll(step)
	return out
}

// describeAll records DescribeKey of every key the scenario made, in the
// key's own Region; keys that are gone record NotFoundException.
func (s *script) describeAll(after string) {
	for _, k := range s.rec.Keys {
		out, err := s.env.Engine.DescribeKey(s.in(k.Region), engine.DescribeKeyInput{KeyID: k.KeyID})
		o := outcome{Step: fmt.Sprintf("after %s: DescribeKey %s", after, k.ARN)}
		if err != nil {
			apiErr, _ := kmserrors.As(err)
			o.Code, o.Message = apiErr.ErrorCode(), apiErr.ErrorMessage()
		} else {
			o.Output = out
		}
		s.rec.Describes = append(s.rec.Describes, o)
	}
}

// made records a key a step created.
func (s *script) made(m engine.KeyMetadata, r region.ID) string {
	s.rec.Keys = append(s.rec.Keys, keyRef{Region: r, KeyID: m.KeyID, ARN: m.Arn})
	return m.KeyID
}

// advance moves the clock and records the transitions still to come.
func (s *script) advance(d time.Duration) {
	s.env.Clock.Advance(d)
	s.describeAll("advance " + d.String())
	s.rec.Pending = append(s.rec.Pending, s.env.Engine.Pending())
}

// runScenario runs the scripted scenario on a fresh engine with the given
// seed and returns what it observed.
func runScenario(t *testing.T, seed uint64) replay {
	t.Helper()
	s := &script{t: t, env: kmstest.NewEnv(t, kmstest.Seed(seed), kmstest.At(replayStart))}
	e := s.env.Engine
	const (
		us  region.ID = "us-east-1"
		eu  region.ID = "eu-west-1"
		syd region.ID = "ap-southeast-2"
		day           = 24 * time.Hour
	)
	create := func(r region.ID, in engine.CreateKeyInput) string {
		out := s.call("CreateKey in "+string(r), "", func() (any, error) { return e.CreateKey(s.in(r), in) })
		return s.made(out.(*engine.CreateKeyOutput).KeyMetadata, r)
	}
	replicate := func(from region.ID, in engine.ReplicateKeyInput, wantCode string) {
		step := fmt.Sprintf("ReplicateKey %s from %s to %s", in.KeyID, from, in.ReplicaRegion)
		out := s.call(step, wantCode, func() (any, error) { return e.ReplicateKey(s.in(from), in) })
		if wantCode == "" {
			s.made(out.(*engine.ReplicateKeyOutput).ReplicaKeyMetadata, in.ReplicaRegion)
		}
	}
	swap := func(from region.ID, id string, to region.ID, wantCode string) {
		s.call(fmt.Sprintf("UpdatePrimaryRegion %s from %s to %s", id, from, to), wantCode, func() (any, error) {
			return e.UpdatePrimaryRegion(s.in(from), engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: to})
		})
	}
	schedule := func(r region.ID, id string, days int, wantCode string) {
		s.call(fmt.Sprintf("ScheduleKeyDeletion %s in %s, %d days", id, r, days), wantCode, func() (any, error) {
			return e.ScheduleKeyDeletion(s.in(r), engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: days})
		})
	}
	tag := func(r region.ID, id string, tags []keystore.Tag, wantCode string) {
		s.call(fmt.Sprintf("TagResource %s in %s", id, r), wantCode, func() (any, error) {
			return e.TagResource(s.in(r), engine.TagResourceInput{KeyID: id, Tags: tags})
		})
	}

	a := create(us, engine.CreateKeyInput{MultiRegion: true, Description: "A", Tags: []keystore.Tag{{Key: "env", Value: "test"}}})
	single := create(us, engine.CreateKeyInput{Description: "single-Region"})
	b := create(eu, engine.CreateKeyInput{MultiRegion: true, Description: "B"})

	replicate(us, engine.ReplicateKeyInput{KeyID: a, ReplicaRegion: eu, Tags: []keystore.Tag{{Key: "replica", Value: "eu"}}}, "")
	replicate(us, engine.ReplicateKeyInput{KeyID: a, ReplicaRegion: syd, Description: "A in Sydney"}, "")
	replicate(eu, engine.ReplicateKeyInput{KeyID: b, ReplicaRegion: us}, "")

	// Calls that fail, each for its own reason.
	replicate(us, engine.ReplicateKeyInput{KeyID: a, ReplicaRegion: eu}, "AlreadyExistsException")
	replicate(us, engine.ReplicateKeyInput{KeyID: single, ReplicaRegion: eu}, "UnsupportedOperationException")
	replicate(us, engine.ReplicateKeyInput{KeyID: "alias/a", ReplicaRegion: eu}, "InvalidArnException")
	replicate(us, engine.ReplicateKeyInput{KeyID: a, ReplicaRegion: us}, "ValidationException")
	replicate(us, engine.ReplicateKeyInput{KeyID: a, ReplicaRegion: "cn-north-1"}, "ValidationException")
	replicate(eu, engine.ReplicateKeyInput{KeyID: a, ReplicaRegion: "us-west-2"}, "UnsupportedOperationException")
	swap(us, a, eu, "KMSInvalidStateException") // the replica is still Creating
	s.call("DescribeKey of an unknown key", "NotFoundException", func() (any, error) {
		return e.DescribeKey(s.in(us), engine.DescribeKeyInput{KeyID: "mrk-00000000000000000000000000000000"})
	})

	s.advance(5 * time.Second)
	swap(us, a, eu, "")
	swap(us, a, syd, "KMSInvalidStateException") // us-east-1 holds a replica now
	s.advance(5 * time.Second)

	tag(us, a, []keystore.Tag{{Key: "owner", Value: "team-a"}}, "")
	tag(eu, a, []keystore.Tag{{Key: "aws:reserved", Value: "x"}}, "TagException")
	s.call("UntagResource in eu-west-1", "", func() (any, error) {
		return e.UntagResource(s.in(eu), engine.UntagResourceInput{KeyID: a, TagKeys: []string{"replica"}})
	})
	s.call("ListResourceTags in us-east-1", "", func() (any, error) {
		return e.ListResourceTags(s.in(us), engine.ListResourceTagsInput{KeyID: a})
	})

	// Deletion: the primary waits for both replicas.
	schedule(eu, a, 7, "")
	schedule(us, a, 7, "")
	schedule(syd, a, 10, "")
	schedule(eu, b, 5, "ValidationException")
	tag(us, a, []keystore.Tag{{Key: "late", Value: "x"}}, "KMSInvalidStateException")
	schedule(us, single, 7, "")
	s.call("CancelKeyDeletion", "", func() (any, error) {
		return e.CancelKeyDeletion(s.in(us), engine.CancelKeyDeletionInput{KeyID: single})
	})
	s.call("EnableKey", "", func() (any, error) {
		return e.EnableKey(s.in(us), engine.EnableKeyInput{KeyID: single})
	})

	s.advance(8 * day) // the us-east-1 replica is gone
	s.advance(3 * day) // so is the Sydney one: the primary's window starts
	s.advance(8 * day) // and ends
	for _, r := range []region.ID{us, eu, syd} {
		out, err := e.ListKeys(s.in(r), engine.ListKeysInput{})
		if err != nil {
			t.Fatalf("ListKeys in %s: %v", r, err)
		}
		s.rec.ListKeys = append(s.rec.ListKeys, out)
	}
	s.rec.Events = e.Events()
	return s.rec
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReplayIsByteIdentical(t *testing.T) {
	first, second := runScenario(t, 7), runScenario(t, 7)
	for _, part := range []struct {
		name string
		a, b any
	}{
		{"key IDs and ARNs", first.Keys, second.Keys},
		{"call results", first.Calls, second.Calls},
		{"DescribeKey outputs", first.Describes, second.Describes},
		{"pending transitions", first.Pending, second.Pending},
		{"ListKeys", first.ListKeys, second.ListKeys},
		{"event log", first.Events, second.Events},
	} {
		a, b := mustJSON(t, part.a), mustJSON(t, part.b)
		if !bytes.Equal(a, b) {
			t.Errorf("%s differ between two runs with the same seed:\n%s", part.name, firstDifference(a, b))
		}
	}
	if len(first.Keys) != 6 {
		t.Errorf("scenario made %d keys, want 6: %+v", len(first.Keys), first.Keys)
	}
	if len(first.Events) < len(first.Calls) {
		t.Errorf("event log has %d events for %d calls", len(first.Events), len(first.Calls))
	}
}

// firstDifference shows where two JSON documents first differ.
func firstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return fmt.Sprintf("first run:  ...%s\nsecond run: ...%s", a[from:min(len(a), i+200)], b[from:min(len(b), i+200)])
}

func TestReplayOtherSeedOtherKeyIDs(t *testing.T) {
	a, b := runScenario(t, 7), runScenario(t, 8)
	ids := func(r replay) map[string]bool {
		m := make(map[string]bool)
		for _, k := range r.Keys {
			m[k.KeyID] = true
		}
		return m
	}
	seven, eight := ids(a), ids(b)
	if len(seven) != 3 || len(eight) != 3 {
		t.Fatalf("want 3 key IDs per run, got %v and %v", seven, eight)
	}
	for id := range seven {
		if eight[id] {
			t.Errorf("seeds 7 and 8 both made key ID %s", id)
		}
	}
}

func TestReplayEventLog(t *testing.T) {
	r := runScenario(t, 7)
	a := r.Keys[0]
	const kms = "kms.amazonaws.com"

	// ReplicateKey is recorded in the primary's Region, followed by the
	// CreateKey KMS makes in the replica's.
	var replicas []region.ID
	for i, ev := range r.Events {
		if ev.Name != "ReplicateKey" || ev.ErrorCode != "" {
			continue
		}
		in, ok := ev.RequestParameters.(engine.ReplicateKeyInput)
		if !ok || in.KeyID != a.KeyID {
			continue
		}
		if ev.Region != a.Region {
			t.Errorf("event %d: ReplicateKey recorded in %s, want %s", ev.Seq, ev.Region, a.Region)
		}
		if i+1 == len(r.Events) {
			t.Fatalf("event %d: ReplicateKey is the last event", ev.Seq)
		}
		next := r.Events[i+1]
		if next.Name != "CreateKey" || next.Region != in.ReplicaRegion || next.InvokedBy != kms {
			t.Errorf("event %d after ReplicateKey to %s: %s in %s invoked by %q, want CreateKey in %s invoked by %s",
				next.Seq, in.ReplicaRegion, next.Name, next.Region, next.InvokedBy, in.ReplicaRegion, kms)
		}
		replicas = append(replicas, in.ReplicaRegion)
	}
	if want := []region.ID{"eu-west-1", "ap-southeast-2"}; fmt.Sprint(replicas) != fmt.Sprint(want) {
		t.Errorf("successful ReplicateKey events of %s to %v, want %v", a.KeyID, replicas, want)
	}

	// UpdatePrimaryRegion is recorded twice: in the old primary's Region
	// by the caller, and in the new primary's by KMS.
	var swaps []engine.Event
	for _, ev := range r.Events {
		if ev.Name == "UpdatePrimaryRegion" && ev.ErrorCode == "" {
			swaps = append(swaps, ev)
		}
	}
	if len(swaps) != 2 {
		t.Fatalf("got %d successful UpdatePrimaryRegion events, want 2: %+v", len(swaps), swaps)
	}
	if swaps[0].Region != "us-east-1" || swaps[0].InvokedBy != "" ||
		swaps[1].Region != "eu-west-1" || swaps[1].InvokedBy != kms ||
		swaps[1].Seq != swaps[0].Seq+1 || !swaps[0].Time.Equal(swaps[1].Time) {
		t.Errorf("UpdatePrimaryRegion events: %+v", swaps)
	}

	// Failed calls are logged with their error, and times never go back.
	failed := 0
	for i, ev := range r.Events {
		if ev.ErrorCode != "" {
			failed++
			if ev.ResponseElements != nil {
				t.Errorf("event %d failed with %s but has response elements", ev.Seq, ev.ErrorCode)
			}
		}
		if i > 0 && ev.Time.Before(r.Events[i-1].Time) {
			t.Errorf("event %d at %s is earlier than the event before it", ev.Seq, ev.Time)
		}
		if ev.Seq != uint64(i+1) {
			t.Errorf("event %d has Seq %d", i+1, ev.Seq)
		}
	}
	if failed == 0 {
		t.Error("no failed call in the event log")
	}
}

func TestEventLogKeepsItsOwnCopyOfInputs(t *testing.T) {
	env := kmstest.NewEnv(t)
	tags := []keystore.Tag{{Key: "team", Value: "a"}}
	_, err := env.Engine.CreateKey(env.Caller("us-east-1"), engine.CreateKeyInput{Tags: tags})
	if err != nil {
		t.Fatal(err)
	}
	tags[0].Value = "changed"
	evs := env.Engine.Events()
	in := evs[len(evs)-1].RequestParameters.(engine.CreateKeyInput)
	if in.Tags[0].Value != "a" {
		t.Fatalf("event log shares the caller's slice: %v", in.Tags)
	}
}
