package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	smithy "github.com/aws/smithy-go"
)

// syncBuffer is a bytes.Buffer that the server's goroutines may write
// while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// server is a kmsim serve running in the test.
type server struct {
	url            string
	stdout, stderr *syncBuffer
	stop           context.CancelFunc
	done           chan int // the exit status
}

// startServe runs "kmsim serve -addr 127.0.0.1:0 args..." until the test
// ends or stops it, and returns once it listens.
func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{stdout: new(syncBuffer), stderr: new(syncBuffer), stop: cancel, done: make(chan int, 1)}
	urls := make(chan string, 1)
	go func() {
		s.done <- runServe(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), s.stdout, s.stderr, func(u string) { urls <- u })
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			t.Error("kmsim serve did not stop")
		}
	})
	select {
	case s.url = <-urls:
	case code := <-s.done:
		s.done <- code
		t.Fatalf("kmsim serve exited with %d before listening; stderr:\n%s", code, s.stderr)
	case <-time.After(10 * time.Second):
		t.Fatal("kmsim serve did not start listening")
	}
	return s
}

// shutdown stops the server and returns its exit status.
func (s *server) shutdown(t *testing.T) int {
	t.Helper()
	s.stop()
	select {
	case code := <-s.done:
		s.done <- code // for the cleanup
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("kmsim serve did not stop")
		return -1
	}
}

func (s *server) client(region, secret string) *kms.Client {
	return kms.New(kms.Options{
		Region:       region,
		BaseEndpoint: aws.String(s.url),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: secret}, nil
		}),
		RetryMaxAttempts: 1,
	})
}

// post sends an admin API request and returns the response body.
func (s *server) post(t *testing.T, path, body string) string {
	t.Helper()
	resp, err := http.Post(s.url+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d %s %v", path, resp.StatusCode, b, err)
	}
	return string(b)
}

func TestServeManualClock(t *testing.T) {
	s := startServe(t, "-manual-clock", "-seed", "1", "-creating-delay", "2s")
	ctx := t.Context()
	us, eu := s.client("us-east-1", "test"), s.client("eu-west-1", "test")

	key, err := us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	id := key.KeyMetadata.KeyId
	if !key.KeyMetadata.CreationDate.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("CreationDate %v on the manual clock", key.KeyMetadata.CreationDate)
	}
	if _, err := us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: id, ReplicaRegion: aws.String("eu-west-1")}); err != nil {
		t.Fatal(err)
	}
	state := func() types.KeyState {
		out, err := eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: id})
		if err != nil {
			t.Fatal(err)
		}
		return out.KeyMetadata.KeyState
	}
	if got := state(); got != types.KeyStateCreating {
		t.Errorf("replica is %s before the clock moves", got)
	}
	if got := s.post(t, "/_kmsim/clock/advance", `{"Seconds":2}`); !strings.Contains(got, "2026-01-01T00:00:02Z") {
		t.Errorf("clock/advance answered %s", got)
	}
	if got := state(); got != types.KeyStateEnabled {
		t.Errorf("replica is %s after the -creating-delay", got)
	}

	// Same flags, same key ID.
	again := startServe(t, "-manual-clock", "-seed", "1")
	key2, err := again.client("us-east-1", "test").CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if *key2.KeyMetadata.KeyId != *id {
		t.Errorf("-seed 1 gave key IDs %s and %s", *id, *key2.KeyMetadata.KeyId)
	}

	if code := s.shutdown(t); code != 0 {
		t.Errorf("exit status %d after cancel; stderr:\n%s", code, s.stderr)
	}
	out := s.stdout.String()
	for _, want := range []string{
		s.url,
		"AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws kms list-keys --endpoint-url " + s.url + " --region us-east-1",
		"curl -X POST " + s.url + "/_kmsim/clock/advance -d '{\"Seconds\":5}'",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	// One log line per request: CreateKey, ReplicateKey, two DescribeKey
	// and the admin call.
	logs := regexp.MustCompile(`(?m)^time=.* level=INFO `).FindAllString(s.stderr.String(), -1)
	if len(logs) != 5 {
		t.Errorf("%d request log lines, want 5; stderr:\n%s", len(logs), s.stderr)
	}
	if _, err := us.ListKeys(ctx, &kms.ListKeysInput{}); err == nil {
		t.Error("the server still answers after shutdown")
	}
}

func TestServeRealClock(t *testing.T) {
	s := startServe(t, "-region", "eu-west-1", "-account", "444455556666")
	ctx := t.Context()
	before := time.Now()
	key, err := s.client("ap-southeast-2", "test").CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	m := key.KeyMetadata
	if *m.AWSAccountId != "444455556666" || !strings.Contains(*m.Arn, ":ap-southeast-2:") {
		t.Errorf("key %s of account %s", *m.Arn, *m.AWSAccountId)
	}
	if m.CreationDate.Before(before.Add(-time.Minute)) || m.CreationDate.After(time.Now().Add(time.Minute)) {
		t.Errorf("CreationDate %v is not now", m.CreationDate)
	}
	// Unsigned requests go to -region.
	req, err := http.NewRequest(http.MethodPost, s.url, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Amz-Target", "TrentService.ListKeys")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("unsigned ListKeys: %s", resp.Status)
	}
	if !strings.Contains(s.stdout.String(), "--region eu-west-1") {
		t.Errorf("the hint does not use -region:\n%s", s.stdout)
	}
	// The clock endpoints need -manual-clock.
	resp, err = http.Post(s.url+"/_kmsim/clock/advance", "application/json", strings.NewReader(`{"Seconds":5}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Error("clock/advance succeeded on the real clock")
	}
	if code := s.shutdown(t); code != 0 {
		t.Errorf("exit status %d; stderr:\n%s", code, s.stderr)
	}
}

func TestServeStrict(t *testing.T) {
	// With a manual clock too: signatures are checked against the real time.
	s := startServe(t, "-strict", "-manual-clock")
	ctx := t.Context()
	if _, err := s.client("us-east-1", "test").ListKeys(ctx, &kms.ListKeysInput{}); err != nil {
		t.Errorf("signed with test/test: %v", err)
	}
	_, err := s.client("us-east-1", "wrong").ListKeys(ctx, &kms.ListKeysInput{})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidSignatureException" {
		t.Errorf("wrong secret: got %v, want InvalidSignatureException", err)
	}
}

func TestServeFlags(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"-h"}, 0, "-manual-clock"},
		{[]string{"-h"}, 0, `(default "127.0.0.1:4599")`},
		{[]string{"-nope"}, 2, "flag provided but not defined"},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
		{[]string{"-region", "mars-1"}, 2, `unknown Region "mars-1"`},
		{[]string{"-account", "123"}, 2, `account "123" is not a 12-digit account ID`},
		{[]string{"-creating-delay", "0s"}, 2, "delays must be positive"},
		{[]string{"-updating-delay", "-1s"}, 2, "delays must be positive"},
		{[]string{"-event-log-limit", "-1"}, 2, "-event-log-limit must not be negative"},
		{[]string{"-addr", "127.0.0.1:-1"}, 1, "kmsim serve: listen tcp"},
	} {
		var stdout, stderr bytes.Buffer
		code := runServe(t.Context(), tc.args, &stdout, &stderr, func(string) { t.Errorf("%q: listening", tc.args) })
		if code != tc.code || !strings.Contains(stderr.String(), tc.stderr) {
			t.Errorf("kmsim serve %q = %d, stderr:\n%s\nwant %d and %q", tc.args, code, stderr.String(), tc.code, tc.stderr)
		}
	}
}

// A done context before start still serves nothing and exits 0.
func TestServeCancelledEarly(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var stdout, stderr bytes.Buffer
	if code := runServe(ctx, []string{"-addr", "127.0.0.1:0"}, &stdout, &stderr, nil); code != 0 {
		t.Errorf("exit status %d; stderr:\n%s", code, stderr.String())
	}
}
