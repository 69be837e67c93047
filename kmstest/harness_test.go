package kmstest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmsim/kmsim/engine"
)

// Settle finishes Creating and Updating keys but leaves deletion
// windows running, as time passing in real KMS would.
func TestSettleLeavesDeletionWindows(t *testing.T) {
	h, err := EngineHarness()(t.Context(), t)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	us := h.Client(home)
	key, err := us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	id := key.KeyMetadata.KeyId
	if _, err := us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: id, ReplicaRegion: aws.String(east)}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Client(east).ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: id, PendingWindowInDays: aws.Int32(7)}); err != nil {
		t.Fatal(err)
	}
	if err := h.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	env := h.(*engineHarness).env
	if got, want := env.Clock.Now(), Start.Add(engine.DefaultCreatingDelay); !got.Equal(want) {
		t.Errorf("Settle moved the clock to %v, want %v", got, want)
	}
	p := env.Engine.Pending()
	if len(p) != 1 || p[0].Action != engine.DeleteKey {
		t.Errorf("pending after Settle: %v, want the replica's deletion", p)
	}

}

// A handler that aborts gives the client an error, not a panic.
func TestHandlerClientAbort(t *testing.T) {
	abort := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "http://kmsim.test/", strings.NewReader("{}"))
	req.RequestURI = ""
	resp, err := handlerClient{abort}.Do(req)
	if resp != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("Do = %v, %v; want a context.Canceled error", resp, err)
	}
}

// The handler sees a request as a server would: Host, RequestURI, a body.
func TestHandlerClientRequest(t *testing.T) {
	var got *http.Request
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		w.Header().Set("X-Test", "yes")
		w.WriteHeader(http.StatusTeapot)
	})
	req, err := http.NewRequest(http.MethodGet, "http://kmsim.test:4599/path?q=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := handlerClient{h}.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusTeapot || resp.Header.Get("X-Test") != "yes" || resp.Request != req {
		t.Errorf("response %d %v, Request %p (sent %p)", resp.StatusCode, resp.Header, resp.Request, req)
	}
	if got.Host != "kmsim.test:4599" || got.RequestURI != "/path?q=1" || got.Body == nil || got.RemoteAddr == "" {
		t.Errorf("handler saw Host %q, RequestURI %q, Body %v, RemoteAddr %q", got.Host, got.RequestURI, got.Body, got.RemoteAddr)
	}
}
