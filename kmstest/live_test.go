package kmstest

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmssdk"
	"github.com/kmsim/kmsim/region"
)

// tickingClock moves forward by step every time it is read, so that an
// engine on it behaves like real KMS seen by a poller: time passes
// between calls and nobody can fast-forward it.
type tickingClock struct {
	*Clock
	step time.Duration
}

func (c tickingClock) Now() time.Time { return c.Advance(c.step) }

// engineAsLive returns a newClient for newLiveHarness that reaches a
// fresh engine on a ticking clock through kmssdk clients.
func engineAsLive(t *testing.T) func(string) API {
	e := engine.New(engine.Config{
		Clock: tickingClock{NewClock(Start), 100 * time.Millisecond},
		Rand:  rand.NewChaCha8([32]byte{1}),
	})
	if err := e.CreateAccount(engine.AccountInput{ID: DefaultAccount}); err != nil {
		t.Fatal(err)
	}
	return func(r string) API { return kmssdk.New(e, kmssdk.WithRegion(region.ID(r))) }
}

// The live harness passes the suite against an engine that only real
// time moves: its polling Settle works, and it skips the scenarios that
// need a ClockHarness.
func TestLiveHarnessAgainstEngine(t *testing.T) {
	RunConformance(t, func(_ context.Context, t *testing.T) (Harness, error) {
		return newLiveHarness(t, engineAsLive(t), time.Millisecond), nil
	})
}

// Close schedules the deletion of every key the harness's clients
// created, including replicas and keys still Creating.
func TestLiveHarnessCleanup(t *testing.T) {
	newClient := engineAsLive(t)
	h := newLiveHarness(t, newClient, time.Millisecond)
	ctx := t.Context()

	created, err := h.Client(home).CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	id := created.KeyMetadata.KeyId
	if _, err := h.Client(home).ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: id, ReplicaRegion: aws.String(east)}); err != nil {
		t.Fatal(err)
	}
	single, err := h.Client(west).CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Client(west).ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: single.KeyMetadata.KeyId, PendingWindowInDays: aws.Int32(30)}); err != nil {
		t.Fatal(err)
	}
	// A key made by a client the harness did not hand out is not its own.
	other, err := newClient(home).CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(h.tracked()); n != 3 {
		t.Errorf("harness tracks %d keys, want 3", n)
	}

	h.Close()

	for _, c := range []struct {
		region string
		id     *string
		state  types.KeyState
		window int32
	}{
		{home, id, types.KeyStatePendingReplicaDeletion, 7},
		{east, id, types.KeyStatePendingDeletion, 7},
		{west, single.KeyMetadata.KeyId, types.KeyStatePendingDeletion, 30},
		{home, other.KeyMetadata.KeyId, types.KeyStateEnabled, 0},
	} {
		out, err := newClient(c.region).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: c.id})
		if err != nil {
			t.Fatal(err)
		}
		m := out.KeyMetadata
		// DescribeKey reports the window itself only while the key waits
		// for its replicas, and otherwise the date it ends.
		window := aws.ToInt32(m.PendingDeletionWindowInDays)
		if m.DeletionDate != nil {
			window = int32(m.DeletionDate.Sub(*m.CreationDate) / day)
		}
		if m.KeyState != c.state || window != c.window {
			t.Errorf("after Close, key %s in %s is %s with a window of %d days, want %s with %d",
				*c.id, c.region, m.KeyState, window, c.state, c.window)
		}
	}
}

func TestEnvCredentials(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	if _, err := EnvCredentials(); err == nil {
		t.Error("EnvCredentials without variables succeeded")
	}
	if _, err := LiveHarness(nil)(t.Context(), t); err == nil {
		t.Error("LiveHarness(nil) without credentials succeeded")
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SESSION_TOKEN", "token")
	c, err := EnvCredentials()
	if err != nil || c.AccessKeyID != "AKIDEXAMPLE" || c.SecretAccessKey != "secret" || c.SessionToken != "token" {
		t.Errorf("EnvCredentials() = %+v, %v", c, err)
	}

	// The client signs with c and calls the Region's public endpoint;
	// the request is caught before it leaves.
	var sent *http.Request
	catch := func(o *kms.Options) {
		o.RetryMaxAttempts = 1
		o.HTTPClient = requestCatcher(func(r *http.Request) { sent = r })
	}
	_, err = LiveClient(east, c).ListKeys(t.Context(), &kms.ListKeysInput{}, catch)
	if err == nil || sent == nil {
		t.Fatalf("ListKeys through the catcher: %v", err)
	}
	if sent.URL.Host != "kms.eu-west-1.amazonaws.com" || sent.URL.Scheme != "https" {
		t.Errorf("LiveClient calls %s", sent.URL)
	}
	if auth := sent.Header.Get("Authorization"); !strings.Contains(auth, "Credential=AKIDEXAMPLE/") || !strings.Contains(auth, "/eu-west-1/kms/") {
		t.Errorf("Authorization %q", auth)
	}
	if got := sent.Header.Get("X-Amz-Security-Token"); got != "token" {
		t.Errorf("X-Amz-Security-Token %q", got)
	}
}

// requestCatcher is a kms.HTTPClient that records a request and fails it.
type requestCatcher func(*http.Request)

func (f requestCatcher) Do(r *http.Request) (*http.Response, error) {
	f(r)
	return nil, errors.New("kmstest: no network in tests")
}
