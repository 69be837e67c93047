package main

import (
	"log/slog"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

func TestServeLogRequests(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		lines int
	}{
		{nil, 2},
		{[]string{"-log-requests=false"}, 0},
	} {
		s := startServe(t, tc.args...)
		c := s.client("us-east-1", "test")
		if _, err := c.CreateKey(t.Context(), &kms.CreateKeyInput{}); err != nil {
			t.Fatal(err)
		}
		// A client error (400) is a request like any other.
		if _, err := c.DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: aws.String("alias/missing")}); err == nil {
			t.Fatal("DescribeKey of a missing alias succeeded")
		}
		if code := s.shutdown(t); code != 0 {
			t.Fatalf("exit status %d", code)
		}
		logs := regexp.MustCompile(`(?m)^time=.* msg="kmshttp request"`).FindAllString(s.stderr.String(), -1)
		if len(logs) != tc.lines {
			t.Errorf("%q: %d request log lines, want %d; stderr:\n%s", tc.args, len(logs), tc.lines, s.stderr)
		}
	}
}

// Without request lines, the handler's Error level (5xx responses,
// recovered panics) still gets through.
func TestLogOptions(t *testing.T) {
	ctx := t.Context()
	for _, tc := range []struct {
		every       bool
		info, error bool
	}{
		{true, true, true},
		{false, false, true},
	} {
		h := slog.NewTextHandler(nil, logOptions(tc.every))
		if got := h.Enabled(ctx, slog.LevelInfo); got != tc.info {
			t.Errorf("logOptions(%t): Info enabled %t, want %t", tc.every, got, tc.info)
		}
		if got := h.Enabled(ctx, slog.LevelError); got != tc.error {
			t.Errorf("logOptions(%t): Error enabled %t, want %t", tc.every, got, tc.error)
		}
	}
}
