package kmstest_test

import (
	"flag"
	"testing"

	"github.com/kmsim/kmsim/kmstest"
)

// live turns on the suite against real AWS KMS. It is never set in CI:
//
//	AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... go test ./kmstest -run ConformanceLive -kms.live
var live = flag.Bool("kms.live", false,
	"also run the conformance suite against real AWS KMS, with credentials from AWS_ACCESS_KEY_ID, "+
		"AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN; it creates keys in us-east-1, eu-west-1, "+
		"ap-southeast-2 and us-west-2 and schedules their deletion (7 days)")

func TestConformanceEngine(t *testing.T) {
	kmstest.RunConformance(t, kmstest.EngineHarness())
}

func TestConformanceHTTP(t *testing.T) {
	kmstest.RunConformance(t, kmstest.HTTPHarness())
}

func TestConformanceLive(t *testing.T) {
	if !*live {
		t.Skip("real AWS KMS: run with -kms.live")
	}
	kmstest.RunConformance(t, kmstest.LiveHarness(nil))
}
