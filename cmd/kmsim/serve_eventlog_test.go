package main

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// eventNames returns the operation names of the server's event log.
func eventNames(t *testing.T, s *server) []string {
	t.Helper()
	resp, err := http.Get(s.url + "/_kmsim/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var events []struct{ EventName string }
	if err := json.Unmarshal(b, &events); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	names := make([]string, len(events))
	for i, ev := range events {
		names[i] = ev.EventName
	}
	return names
}

func TestServeEventLogLimit(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		min, max int
	}{
		{nil, 12, 12},
		// The engine drops the older half of the log when it is full.
		{[]string{"-event-log-limit", "4"}, 2, 4},
	} {
		s := startServe(t, tc.args...)
		c := s.client("us-east-1", "test")
		for range 11 {
			if _, err := c.ListKeys(t.Context(), &kms.ListKeysInput{}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := c.CreateKey(t.Context(), &kms.CreateKeyInput{}); err != nil {
			t.Fatal(err)
		}
		names := eventNames(t, s)
		if n := len(names); n < tc.min || n > tc.max {
			t.Errorf("%q: %d events %q, want %d to %d", tc.args, n, names, tc.min, tc.max)
		}
		if len(names) > 0 && names[len(names)-1] != "CreateKey" {
			t.Errorf("%q: newest event %q, want CreateKey", tc.args, names[len(names)-1])
		}
	}
}
